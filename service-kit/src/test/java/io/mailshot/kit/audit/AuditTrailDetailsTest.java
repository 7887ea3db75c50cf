package io.mailshot.kit.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Details keep their order, leave out what is absent and never grow with what they describe. */
class AuditTrailDetailsTest {

    @Test
    void namesAndValuesInOrderWithoutNulls() {
        UUID id = UUID.randomUUID();
        Map<String, Object> details = AuditTrail.details(
                "from",
                "DRAFT",
                "reason",
                null,
                "to",
                Outcome.DONE,
                "runId",
                id,
                "changed",
                List.of("name"),
                "rows",
                3L);
        assertEquals(List.of("from", "to", "runId", "changed", "rows"), List.copyOf(details.keySet()));
        assertEquals("DONE", details.get("to"));
        assertEquals(id.toString(), details.get("runId"));
        assertEquals(3L, details.get("rows"));
    }

    @Test
    void longTextIsAbbreviated() {
        String reason = "x".repeat(AuditTrail.MAX_VALUE + 50);
        String kept = (String) AuditTrail.details("reason", reason).get("reason");
        assertEquals(AuditTrail.MAX_VALUE + 1, kept.length());
        assertEquals('…', kept.charAt(kept.length() - 1));
    }

    @Test
    void namesComeWithValues() {
        assertThrows(IllegalArgumentException.class, () -> AuditTrail.details("from"));
    }

    @Test
    void aReferenceMayNameNoEntity() {
        assertEquals(new AuditEntry.Ref("profiles", null), AuditTrail.ref("profiles", null));
        assertEquals("7", AuditTrail.ref("run", 7).id());
    }
}
