package io.mailshot.kit.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.EventType;
import io.mailshot.events.ProfilesStreamed;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Encodes and decodes events as CloudEvents 1.0 in Kafka binary content mode (attributes in headers). */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper json;

    public EventCodec(ObjectMapper json) {
        // A stricter copy: an event with fields we do not know is still accepted (forward compatible),
        // but a null where a primitive is expected is not.
        this.json = json.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .registerModule(new SimpleModule("mailshot-profile-stream")
                        .addDeserializer(ProfilesStreamed.class, new ProfilesStreamedDeserializer()));
    }

    /** Serialises the event data to JSON. */
    public String toJson(Record data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialise " + data.getClass().getSimpleName(), e);
        }
    }

    /** A record for {@code topic}, keyed by {@code key}, with a new event id. */
    public ProducerRecord<String, String> encode(String topic, String key, String source, Record data) {
        return encode(
                topic,
                key,
                UUID.randomUUID().toString(),
                EventType.of(data.getClass()).type(),
                source,
                Instant.now(),
                toJson(data));
    }

    /** A record from already-serialised parts, carrying the trace context current on this thread. */
    public ProducerRecord<String, String> encode(
            String topic, String key, String id, String type, String source, Instant time, String payload) {
        return encode(topic, key, id, type, source, time, payload, EventTracing.current());
    }

    /** A record from already-serialised parts and the trace context, as stored in an outbox. */
    public ProducerRecord<String, String> encode(
            String topic,
            String key,
            String id,
            String type,
            String source,
            Instant time,
            String payload,
            TraceHeaders trace) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
        putAttributes(record.headers(), key, id, type, source, time, trace);
        return record;
    }

    /** The event data as UTF-8 JSON. */
    public byte[] toJsonBytes(Record data) {
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialise " + data.getClass().getSimpleName(), e);
        }
    }

    /** A record with a raw UTF-8 JSON value, for {@link KafkaProducers}' bytes producer. */
    public ProducerRecord<String, byte[]> encodeBytes(String topic, String key, String source, Record data) {
        return encodeBytes(topic, key, source, EventType.of(data.getClass()), toJsonBytes(data));
    }

    /**
     * A record whose data the caller has already written as UTF-8 JSON of {@code type}'s data class (a bulk
     * stream writing straight from its source). On the wire it is the same record as {@link #encode}'s.
     */
    public ProducerRecord<String, byte[]> encodeBytes(
            String topic, String key, String source, EventType type, byte[] payload) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, payload);
        putAttributes(
                record.headers(),
                key,
                UUID.randomUUID().toString(),
                type.type(),
                source,
                Instant.now(),
                EventTracing.current());
        return record;
    }

    private static void putAttributes(
            Headers headers, String key, String id, String type, String source, Instant time, TraceHeaders trace) {
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        put(headers, CloudEventHeaders.ID, id);
        put(headers, CloudEventHeaders.SOURCE, source);
        put(headers, CloudEventHeaders.TYPE, type);
        put(headers, CloudEventHeaders.TIME, time.toString());
        put(headers, CloudEventHeaders.SUBJECT, key);
        put(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        // The distributed-tracing extension, when the work in hand has a trace (see EventTracing).
        if (trace != null && trace.traceparent() != null) {
            put(headers, CloudEventHeaders.TRACEPARENT, trace.traceparent());
            if (trace.tracestate() != null && !trace.tracestate().isEmpty()) {
                put(headers, CloudEventHeaders.TRACESTATE, trace.tracestate());
            }
        }
    }

    /**
     * Decodes a record, or throws {@link MalformedEventException} saying what is wrong. Never includes the
     * payload in the reason: it may carry profile data.
     */
    public IncomingEvent decode(ConsumerRecord<String, String> record) {
        return decode(record.headers(), record.value() == null, type -> json.readValue(record.value(), type));
    }

    /**
     * {@link #decode} for a record read as raw bytes: the JSON is parsed straight from its UTF-8, without
     * first making a String of it (a bulk stream's consumer).
     */
    public IncomingEvent decodeBytes(ConsumerRecord<String, byte[]> record) {
        return decode(record.headers(), record.value() == null, type -> json.readValue(record.value(), type));
    }

    private interface DataReader {
        Record read(Class<? extends Record> type) throws IOException;
    }

    private IncomingEvent decode(Headers headers, boolean noData, DataReader reader) {
        String spec = header(headers, CloudEventHeaders.SPEC_VERSION);
        if (!CloudEventHeaders.SPEC_VERSION_VALUE.equals(spec)) {
            throw new MalformedEventException("ce_specversion must be 1.0, was " + abbreviate(spec));
        }
        String id = required(headers, CloudEventHeaders.ID);
        String source = required(headers, CloudEventHeaders.SOURCE);
        String typeName = required(headers, CloudEventHeaders.TYPE);
        EventType type = EventType.ofType(typeName)
                .orElseThrow(() -> new MalformedEventException("unknown ce_type " + abbreviate(typeName)));
        Instant time = Instant.now();
        String timeHeader = header(headers, CloudEventHeaders.TIME);
        if (timeHeader != null) {
            try {
                time = Instant.parse(timeHeader);
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("ce_time is not an RFC 3339 timestamp");
            }
        }
        if (noData) {
            throw new MalformedEventException("event " + id + " of type " + typeName + " has no data");
        }
        Record data;
        try {
            data = reader.read(type.dataClass());
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(
                    "event " + id + " data is not a valid " + typeName + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            // Only JSON can fail here (the value is in memory), but Jackson declares it for streams.
            throw new MalformedEventException("event " + id + " data is not readable as " + typeName);
        }
        requireIds(id, data);
        // The trace context is read, never checked here: a malformed one must not dead-letter the event.
        String traceparent = header(headers, CloudEventHeaders.TRACEPARENT);
        TraceHeaders trace = traceparent == null
                ? TraceHeaders.NONE
                : new TraceHeaders(traceparent, header(headers, CloudEventHeaders.TRACESTATE));
        return new IncomingEvent(id, type, source, time, data, trace);
    }

    /** Optional references; every other {@code UUID} component (runId and friends) is mandatory. */
    private static final Set<String> OPTIONAL_IDS = Set.of("routingId", "deliveryId");

    private static void requireIds(String id, Record data) {
        for (RecordComponent component : data.getClass().getRecordComponents()) {
            if (component.getType() != UUID.class || OPTIONAL_IDS.contains(component.getName())) {
                continue;
            }
            try {
                if (component.getAccessor().invoke(data) == null) {
                    throw new MalformedEventException("event " + id + " has no " + component.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String required(Headers headers, String name) {
        String value = header(headers, name);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("missing header " + name);
        }
        return value;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "nothing";
        }
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
