package io.mailshot.audience.messaging;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mailshot.events.ProfilesStreamed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Consecutive profiles of one attempt, written as the JSON of one {@link ProfilesStreamed} straight from the
 * UTF-8 bytes PostgreSQL sent: no String per value and no second encoding (the JSON writer only escapes what
 * JSON requires). The document is exactly what serialising the record would give; a test holds the two
 * together. Bounded in rows and in value bytes, so a record stays far below the broker's 1 MiB limit.
 */
final class ProfileBatch {

    /** Most profiles in one batch. */
    static final int MAX_ROWS = 500;
    /** Most value bytes in one batch, whatever the columns. */
    static final int MAX_BYTES = 256 * 1024;

    private final JsonFactory json;
    private final List<String> ids = new ArrayList<>(MAX_ROWS);
    private final List<byte[][]> rows = new ArrayList<>(MAX_ROWS);
    private int bytes;

    ProfileBatch(JsonFactory json) {
        this.json = json;
    }

    void add(String id, byte[][] values) {
        ids.add(id);
        rows.add(values);
        bytes += id.length();
        for (byte[] v : values) {
            bytes += v == null ? 4 : v.length + 2;
        }
    }

    boolean isEmpty() {
        return ids.isEmpty();
    }

    int size() {
        return ids.size();
    }

    boolean full() {
        return ids.size() >= MAX_ROWS || bytes >= MAX_BYTES;
    }

    /** The batch as {@link ProfilesStreamed} JSON, its first profile numbered {@code firstSeq}; then empties it. */
    byte[] drain(UUID runId, UUID attemptId, long firstSeq) {
        // Escaping can grow a value, rarely by much: start near the final size so the buffer seldom grows.
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 40 * ids.size() + 256);
        try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("runId", runId.toString());
            g.writeStringField("attemptId", attemptId.toString());
            g.writeNumberField("firstSeq", firstSeq);
            g.writeArrayFieldStart("profileIds");
            for (String id : ids) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("values");
            for (byte[][] row : rows) {
                g.writeStartArray();
                for (byte[] value : row) {
                    if (value == null) {
                        g.writeNull();
                    } else {
                        g.writeUTF8String(value, 0, value.length);
                    }
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a profile batch", e); // in memory: not expected
        }
        ids.clear();
        rows.clear();
        bytes = 0;
        return out.toByteArray();
    }
}
