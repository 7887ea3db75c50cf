package io.mailshot.kit.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.EventType;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The bytes path of the codec is the text path's equal: same record on the wire, same decoding. */
class EventCodecTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    private final EventCodec codec = new EventCodec(json);

    private final ProfilesStreamed batch = new ProfilesStreamed(
            UUID.randomUUID(),
            UUID.randomUUID(),
            7,
            List.of("c-1", "c-2"),
            List.of(Arrays.asList("Zoë \"Q\" O’Brien", null, "\\ 😀"), List.of("=1+2", "", "x")));

    @Test
    void aBytesRecordDecodesLikeTheTextRecordOfTheSameEvent() throws Exception {
        ProducerRecord<String, byte[]> bytes = codec.encodeBytes(Topics.PROFILES, "k", "/test", batch);
        ProducerRecord<String, String> text = codec.encode(Topics.PROFILES, "k", "/test", batch);

        // The same JSON document (the UTF-8 writer may escape a character the text writer writes as is).
        assertEquals(json.readTree(codec.toJson(batch)), json.readTree(bytes.value()));
        for (Header header : text.headers()) {
            if (!header.key().equals(CloudEventHeaders.ID) && !header.key().equals(CloudEventHeaders.TIME)) {
                assertArrayEquals(
                        header.value(), bytes.headers().lastHeader(header.key()).value(), header.key());
            }
        }
        IncomingEvent fromBytes = codec.decodeBytes(consumed(bytes.headers().toArray(), bytes.value()));
        IncomingEvent fromText = codec.decode(consumed(text.headers().toArray(), text.value()));
        assertEquals(EventType.PROFILES_STREAMED, fromBytes.type());
        assertEquals(batch, fromBytes.data(ProfilesStreamed.class));
        assertEquals(fromText.data(), fromBytes.data());
    }

    @Test
    void malformedBytesAreAMalformedEventWithoutThePayloadInTheReason() {
        ProducerRecord<String, byte[]> good = codec.encodeBytes(Topics.PROFILES, "k", "/test", batch);
        byte[] broken = "{\"runId\":\"not-a-uuid\",\"profileIds\":[\"secret-value\"]".getBytes(StandardCharsets.UTF_8);

        MalformedEventException e = assertThrows(
                MalformedEventException.class,
                () -> codec.decodeBytes(consumed(good.headers().toArray(), broken)));

        assertTrue(e.getMessage().contains("not a valid " + EventType.PROFILES_STREAMED.type()), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        assertThrows(
                MalformedEventException.class,
                () -> codec.decodeBytes(consumed(good.headers().toArray(), null)));
    }

    /** The generic record deserializer the codec would use without its profile-stream reader. */
    private final ObjectMapper generic = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    @Test
    void theProfileStreamReaderReadsWhatTheGenericDeserializerReads() throws Exception {
        String run = UUID.randomUUID().toString();
        // Both ids are required of every event (the codec checks that after reading), so every document has them.
        String ids = "\"runId\":\"" + run + "\",\"attemptId\":\"" + UUID.randomUUID() + "\"";
        List<String> documents = List.of(
                codec.toJson(batch),
                // Another field order, unknown fields of every shape, a null row and an empty one.
                "{\"values\":[[\"a\",null],null,[]],\"extra\":{\"x\":[1,{\"y\":2}]},\"firstSeq\":9007199254740993,"
                        + "\"profileIds\":[\"p1\",\"p2\",\"p3\"],\"more\":[[],{}]," + ids + "}",
                // Scalars are taken as their text, exactly as written.
                "{" + ids + ",\"firstSeq\":1,\"profileIds\":[\"p\"],\"values\":[[1.50,-7,true,false,\"\\u00e9\\n\"]]}",
                // A long row: more values than the reader's first guess.
                "{\"profileIds\":[\"p\"],\"values\":[[" + "\"v\",".repeat(40) + "\"last\"]],\"firstSeq\":0," + ids
                        + "}",
                // The lists missing, or null.
                "{\"firstSeq\":3," + ids + "}",
                "{\"profileIds\":null,\"values\":null,\"firstSeq\":3," + ids + "}");
        for (String document : documents) {
            ProfilesStreamed expected = generic.readValue(document, ProfilesStreamed.class);
            assertEquals(expected, decode(document), document);
        }
        assertEquals(
                List.of("1.50", "-7", "true", "false", "é\n"),
                decode(documents.get(2)).values().get(0));
        assertEquals(41, decode(documents.get(3)).values().get(0).size());
    }

    @Test
    void theProfileStreamReaderRefusesWhatTheGenericDeserializerRefuses() {
        List<String> documents = List.of(
                "{}",
                "{\"firstSeq\":null}",
                "{\"runId\":\"nope\"}",
                "{\"runId\":42}",
                "{\"profileIds\":\"p\"}",
                "{\"values\":{\"a\":[\"x\"]}}",
                "{\"values\":[\"x\"]}",
                "{\"values\":[[{\"nested\":\"secret-value\"}]]}",
                "{\"values\":[[[\"secret-value\"]]]}",
                "[]");
        for (String document : documents) {
            assertThrows(Exception.class, () -> generic.readValue(document, ProfilesStreamed.class), document);
            MalformedEventException e = assertThrows(MalformedEventException.class, () -> decode(document), document);
            assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        }
        // Stricter than the generic path on one point: the sequence number must be a JSON integer.
        assertThrows(MalformedEventException.class, () -> decode("{\"firstSeq\":\"3\"}"));
    }

    private ProfilesStreamed decode(String document) {
        ProducerRecord<String, byte[]> good = codec.encodeBytes(Topics.PROFILES, "k", "/test", batch);
        return codec.decodeBytes(consumed(good.headers().toArray(), document.getBytes(StandardCharsets.UTF_8)))
                .data(ProfilesStreamed.class);
    }

    private static <V> ConsumerRecord<String, V> consumed(Header[] headers, V value) {
        return new ConsumerRecord<>(
                Topics.PROFILES,
                0,
                0,
                0,
                TimestampType.CREATE_TIME,
                1,
                0,
                "k",
                value,
                new RecordHeaders(headers),
                Optional.empty());
    }
}
