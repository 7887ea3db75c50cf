package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StampedNamesTest {

    private static final String STAMP = NameTemplate.stamp(Instant.parse("2026-11-28T18:04:36.987Z"));

    @Test
    void stampIsUtcToTheSecond() {
        assertEquals("20261128T180436Z", STAMP);
    }

    @Test
    void stampGoesBeforeEveryExtensionThatSaysWhatTheContentIs() {
        assertEquals("mail-001_20261128T180436Z.csv", NameTemplate.stamped("mail-001.csv", STAMP));
        assertEquals("mail-001_20261128T180436Z.csv.gz", NameTemplate.stamped("mail-001.csv.gz", STAMP));
        assertEquals("mail_20261128T180436Z.csv.pgp", NameTemplate.stamped("mail.csv.pgp", STAMP));
        assertEquals("mail_20261128T180436Z.txt.gz.gpg", NameTemplate.stamped("mail.txt.gz.gpg", STAMP));
        assertEquals("mail_20261128T180436Z.manifest.json", NameTemplate.stamped("mail.manifest.json", STAMP));
        assertEquals("mail_20261128T180436Z.manifest.csv", NameTemplate.stamped("mail.manifest.csv", STAMP));
        // One content extension is kept before the wrappers, whatever it is (as for mail.csv.zip).
        assertEquals("a_20261128T180436Z.b.zip", NameTemplate.stamped("a.b.zip", STAMP));
        assertEquals("README_20261128T180436Z", NameTemplate.stamped("README", STAMP));
        assertEquals("x_20261128T180436Z.gz", NameTemplate.stamped("x.gz", STAMP));
        assertEquals(
                "weird.extension-with-dash_20261128T180436Z", NameTemplate.stamped("weird.extension-with-dash", STAMP));
    }

    @Test
    void noStampNoChange() {
        assertEquals("mail-001.csv.gz", NameTemplate.stamped("mail-001.csv.gz", null));
    }
}
