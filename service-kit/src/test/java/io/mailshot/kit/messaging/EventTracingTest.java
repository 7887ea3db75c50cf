package io.mailshot.kit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.EventType;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.RunCancelled;
import io.mailshot.events.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trace context travels in ce_traceparent / ce_tracestate, a consumer continues it in a span of its own and
 * passes it on to what it publishes; a malformed one starts a new trace and never fails the event.
 */
class EventTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01";

    private final List<SpanData> ended = new ArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    ended.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            }))
            .build();
    private final EventTracing tracing = new EventTracing(provider.get("test"));
    private final EventCodec codec = new EventCodec(new ObjectMapper().registerModule(new JavaTimeModule()));
    private final RunCancelled cancelled = new RunCancelled(UUID.randomUUID(), "test", null);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aConsumerContinuesTheEventsTraceAndWhatItPublishesCarriesItOn() throws Exception {
        IncomingEvent event = decode(cancelled, TRACEPARENT, "mailshot=1");
        assertEquals(new TraceHeaders(TRACEPARENT, "mailshot=1"), event.trace());

        AtomicReference<ProducerRecord<String, String>> published = new AtomicReference<>();
        AtomicReference<TraceHeaders> stored = new AtomicReference<>();
        tracing.consume("cancellations-in", event, () -> {
            published.set(codec.encode(Topics.RUN_CANCELLATIONS, "k", "/test", cancelled));
            stored.set(EventTracing.current()); // what an outbox row written here keeps
        });

        assertEquals(1, ended.size());
        SpanData span = ended.get(0);
        assertEquals(TRACE_ID, span.getTraceId());
        assertEquals(PARENT_SPAN, span.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, span.getKind());
        assertEquals("process " + EventType.RUN_CANCELLED.type(), span.getName());
        assertEquals(event.id(), span.getAttributes().get(AttributeKey.stringKey("cloudevents.event_id")));
        assertEquals(
                cancelled.runId().toString(), span.getAttributes().get(AttributeKey.stringKey(EventTracing.RUN_ID)));
        // The published event's parent is the consumer span, in the same trace; the vendor state goes along.
        String expected = "00-" + TRACE_ID + "-" + span.getSpanId() + "-01";
        assertEquals(expected, header(published.get().headers(), CloudEventHeaders.TRACEPARENT));
        assertEquals("mailshot=1", header(published.get().headers(), CloudEventHeaders.TRACESTATE));
        assertEquals(new TraceHeaders(expected, "mailshot=1"), stored.get());
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndTheEventIsHandled() throws Exception {
        for (String malformed : List.of(
                "not a traceparent",
                "00-" + TRACE_ID + "-" + PARENT_SPAN, // no flags
                "00-00000000000000000000000000000000-" + PARENT_SPAN + "-01", // all-zero trace id
                "ff-" + TRACE_ID + "-" + PARENT_SPAN + "-01", // forbidden version
                "00-" + TRACE_ID.toUpperCase() + "-" + PARENT_SPAN + "-01",
                "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01-" + "x".repeat(10_000))) {
            ended.clear();
            // Decoding never checks it: a bad trace context is no reason to dead-letter an event.
            IncomingEvent event = decode(cancelled, malformed, "garbage=,,=");
            AtomicReference<TraceHeaders> passedOn = new AtomicReference<>();

            tracing.consume("cancellations-in", event, () -> passedOn.set(EventTracing.current()));

            assertEquals(1, ended.size(), malformed);
            SpanData span = ended.get(0);
            assertNotEquals(TRACE_ID, span.getTraceId(), malformed);
            assertFalse(span.getParentSpanContext().isValid(), malformed);
            assertEquals(
                    Boolean.TRUE,
                    span.getAttributes().get(AttributeKey.booleanKey("mailshot.trace.parent_malformed")),
                    malformed);
            // What the handling publishes carries the new, well-formed trace.
            assertEquals(
                    "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01",
                    passedOn.get().traceparent());
        }
    }

    @Test
    void anEventWithoutTraceContextStartsATrace() throws Exception {
        IncomingEvent event = decode(cancelled, null, null);
        assertEquals(TraceHeaders.NONE, event.trace());

        tracing.consume("cancellations-in", event, () -> {});

        assertEquals(1, ended.size());
        assertTrue(ended.get(0).getSpanContext().isValid());
        assertEquals(
                null, ended.get(0).getAttributes().get(AttributeKey.booleanKey("mailshot.trace.parent_malformed")));
    }

    @Test
    void outsideAnyTraceNothingIsAdded() {
        assertEquals(TraceHeaders.NONE, EventTracing.current());
        ProducerRecord<String, String> record = codec.encode(Topics.RUN_CANCELLATIONS, "k", "/test", cancelled);
        assertNull(record.headers().lastHeader(CloudEventHeaders.TRACEPARENT));
        assertNull(record.headers().lastHeader(CloudEventHeaders.TRACESTATE));
    }

    @Test
    void theRelayPutsTheStoredContextNotItsOwn() {
        ProducerRecord<String, String> record = codec.encode(
                Topics.RUN_CANCELLATIONS,
                "k",
                UUID.randomUUID().toString(),
                EventType.RUN_CANCELLED.type(),
                "/test",
                Instant.now(),
                codec.toJson(cancelled),
                new TraceHeaders(TRACEPARENT, null));
        assertEquals(TRACEPARENT, header(record.headers(), CloudEventHeaders.TRACEPARENT));
        assertNull(record.headers().lastHeader(CloudEventHeaders.TRACESTATE));
    }

    @Test
    void aProfileBatchContinuesTheTraceWithoutASpanOfItsOwn() throws Exception {
        ProfilesStreamed batch =
                new ProfilesStreamed(UUID.randomUUID(), UUID.randomUUID(), 1, List.of("c-1"), List.of(List.of("x")));
        IncomingEvent event = decode(batch, TRACEPARENT, null);
        AtomicReference<TraceHeaders> passedOn = new AtomicReference<>();

        tracing.consume("profiles", event, () -> passedOn.set(EventTracing.current()));

        assertTrue(ended.isEmpty(), "no span per batch");
        assertEquals(TRACEPARENT, passedOn.get().traceparent());
    }

    @Test
    void aFailingHandlingEndsItsSpanAsAnErrorAndFailsAsBefore() {
        IncomingEvent event = decode(cancelled, TRACEPARENT, null);
        IllegalStateException failure = new IllegalStateException("database away");

        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> tracing.consume("cancellations-in", event, () -> {
                    throw failure;
                }));

        assertEquals(failure, thrown);
        assertEquals(1, ended.size());
        assertEquals(
                io.opentelemetry.api.trace.StatusCode.ERROR,
                ended.get(0).getStatus().getStatusCode());
        assertEquals(TraceHeaders.NONE, EventTracing.current(), "the scope is closed");
    }

    @Test
    void deferredWorkResumesTheStoredTrace() throws Exception {
        AtomicReference<TraceHeaders> inside = new AtomicReference<>();
        UUID runId = UUID.randomUUID();
        tracing.resume(
                "delivery.attempt",
                runId,
                new TraceHeaders(TRACEPARENT, null),
                () -> inside.set(EventTracing.current()));

        assertEquals(1, ended.size());
        assertEquals(TRACE_ID, ended.get(0).getTraceId());
        assertEquals(PARENT_SPAN, ended.get(0).getParentSpanId());
        assertEquals(runId.toString(), ended.get(0).getAttributes().get(AttributeKey.stringKey(EventTracing.RUN_ID)));
        assertNotNull(inside.get().traceparent());
        assertTrue(inside.get().traceparent().contains(TRACE_ID));
    }

    private IncomingEvent decode(Record data, String traceparent, String tracestate) {
        ProducerRecord<String, String> sent = codec.encode(Topics.RUN_CANCELLATIONS, "k", "/test", data);
        RecordHeaders headers = new RecordHeaders(sent.headers().toArray());
        if (traceparent != null) {
            headers.add(CloudEventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        if (tracestate != null) {
            headers.add(CloudEventHeaders.TRACESTATE, tracestate.getBytes(StandardCharsets.UTF_8));
        }
        return codec.decode(new ConsumerRecord<>(
                Topics.RUN_CANCELLATIONS,
                0,
                0,
                0,
                TimestampType.CREATE_TIME,
                1,
                0,
                "k",
                sent.value(),
                headers,
                Optional.empty()));
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
