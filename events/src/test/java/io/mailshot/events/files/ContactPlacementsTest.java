package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailshot.events.files.ContactPlacements.Placement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContactPlacementsTest {

    private static final UUID ATTEMPT = UUID.fromString("6f1c2d9e-0a4b-4c7e-9d1a-2b3c4d5e6f70");

    @Test
    void aLineReadsBackAsWritten() {
        Placement p = new Placement(ATTEMPT, 42, "spring, \"A\"-part001.csv", 3, "North\nEast");
        String line = ContactPlacements.line(p);
        assertEquals(p, ContactPlacements.parse(line));
    }

    @Test
    void noCellAndAnEmptyCellStayApart() {
        Placement none = new Placement(ATTEMPT, 1, "f.csv", 1, null);
        Placement empty = new Placement(ATTEMPT, 1, "f.csv", 1, "");
        assertEquals(ATTEMPT + ",1,\"f.csv\",1,", ContactPlacements.line(none));
        assertNull(ContactPlacements.parse(ContactPlacements.line(none)).cell());
        assertEquals("", ContactPlacements.parse(ContactPlacements.line(empty)).cell());
    }

    @Test
    void aTruncatedLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ContactPlacements.parse(ATTEMPT + ",1,\"f.csv\""));
        assertThrows(IllegalArgumentException.class, () -> ContactPlacements.parse(ATTEMPT + ",1,\"f.csv,1,"));
    }
}
