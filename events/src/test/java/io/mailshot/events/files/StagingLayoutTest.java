package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Everything of a run lies under its own prefix, so purging the prefix removes the run and nothing else. */
class StagingLayoutTest {

    @Test
    void everyKeyOfARunIsUnderItsPrefix() {
        UUID run = UUID.fromString("6f1c1b4e-8a1e-4c7e-9d43-0d5c2f1f3a10");
        String prefix = StagingLayout.runPrefix(run);
        assertEquals("runs/6f1c1b4e-8a1e-4c7e-9d43-0d5c2f1f3a10/", prefix);
        assertEquals(prefix + "mail-001.csv", StagingLayout.partKey(run, "mail-001.csv"));
        assertEquals(prefix + "manifest.json", StagingLayout.manifestJsonKey(run));
        assertEquals(prefix + "manifest.csv", StagingLayout.manifestCsvKey(run));
        assertEquals(prefix + "internal/contacts.csv", StagingLayout.contactsKey(run));
        UUID other = UUID.randomUUID();
        assertTrue(!StagingLayout.partKey(other, "mail-001.csv").startsWith(prefix));
    }
}
