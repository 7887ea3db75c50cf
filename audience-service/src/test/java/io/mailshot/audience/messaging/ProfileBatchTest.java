package io.mailshot.audience.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.ProfilesStreamed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The batch written from raw UTF-8 is the same document as the serialised event, whatever the values hold. */
class ProfileBatchTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesTheSameDocumentAsSerialisingTheEvent() throws Exception {
        List<List<String>> values = List.of(
                Arrays.asList("Zoë", "O’Brien-Łukasz", null, ""),
                Arrays.asList("say \"hi\"", "back\\slash", "line\nbreak\ttab\r", "\u0001\u001f control"),
                Arrays.asList("😀 outside the BMP", "=1+2", "中文", "ß"));
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        ProfileBatch batch = new ProfileBatch(json.getFactory());
        List<String> ids = List.of("c-1", "c\"2", "c-ü");
        for (int i = 0; i < ids.size(); i++) {
            batch.add(ids.get(i), utf8(values.get(i)));
        }

        byte[] written = batch.drain(runId, attemptId, 41);

        ProfilesStreamed expected = new ProfilesStreamed(runId, attemptId, 41, ids, values);
        assertEquals(expected, json.readValue(written, ProfilesStreamed.class));
        assertEquals(json.readTree(json.writeValueAsBytes(expected)), json.readTree(written));
        assertTrue(batch.isEmpty(), "drained");
    }

    @Test
    void isFullAtItsRowOrByteBound() {
        ProfileBatch byRows = new ProfileBatch(json.getFactory());
        for (int i = 0; i < ProfileBatch.MAX_ROWS - 1; i++) {
            byRows.add("p" + i, utf8(Arrays.asList("a", null)));
        }
        assertFalse(byRows.full());
        byRows.add("last", utf8(Arrays.asList("a", null)));
        assertTrue(byRows.full());

        ProfileBatch byBytes = new ProfileBatch(json.getFactory());
        byBytes.add("big", utf8(List.of("x".repeat(ProfileBatch.MAX_BYTES))));
        assertTrue(byBytes.full());
        assertEquals(1, byBytes.size());
    }

    private static byte[][] utf8(List<String> row) {
        List<byte[]> bytes = new ArrayList<>();
        for (String v : row) {
            bytes.add(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toArray(byte[][]::new);
    }
}
