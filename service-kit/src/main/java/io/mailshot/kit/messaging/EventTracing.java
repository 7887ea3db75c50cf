package io.mailshot.kit.messaging;

import io.mailshot.events.EventType;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One trace per run: the W3C trace context travels with every event in its CloudEvents headers ({@code
 * ce_traceparent}, {@code ce_tracestate}, the distributed-tracing extension), and a consumer continues it.
 *
 * <p>These headers are the one source of truth: SmallRye's own Kafka tracing (its {@code traceparent} header and
 * spans) is switched off in every service, and the services' producers are plain Kafka clients, which add nothing.
 * Events published directly take the context current on the sending thread; outbox events take the one current when
 * the row was written (stored with it, sent by the relay on its own thread). Spans are per event handled, never per
 * row: a {@code ProfilesStreamed} batch continues its run's trace without a span of its own (a run has thousands).
 * A missing or malformed {@code ce_traceparent} is advisory: the handling starts a new trace and goes on.
 */
@ApplicationScoped
public class EventTracing {

    /** What a consumer does with one event. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";

    /** Reads the propagator's two fields from a {@link TraceHeaders}. */
    private static final TextMapGetter<TraceHeaders> FROM_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceHeaders carrier) {
            return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(TraceHeaders carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case TRACEPARENT -> carrier.traceparent();
                case TRACESTATE -> carrier.tracestate();
                default -> null;
            };
        }
    };

    /** Span attribute naming the run an event or a deferred item belongs to: how an operator finds a run's trace. */
    public static final String RUN_ID = "mailshot.run_id";

    /** The {@code runId} accessor of an event's data record, if it has one. */
    private static final ClassValue<Method> RUN_ID_OF = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    if (component.getName().equals("runId") && component.getType() == UUID.class) {
                        return component.getAccessor();
                    }
                }
            }
            return null;
        }
    };

    private final Tracer tracer;

    public EventTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The trace context of the work in hand, to travel with an event it publishes; {@link TraceHeaders#NONE} if none. */
    public static TraceHeaders current() {
        Context context = Context.current();
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return TraceHeaders.NONE;
        }
        Map<String, String> carrier = new HashMap<>(4);
        W3C.inject(context, carrier, Map::put);
        return new TraceHeaders(carrier.get(TRACEPARENT), carrier.get(TRACESTATE));
    }

    /**
     * The context to continue: the one {@code trace} names, or none (a new trace) when it is missing or malformed.
     * Never throws: the trace context is advisory and never fails an event.
     */
    public static Context parent(TraceHeaders trace) {
        if (trace == null || trace.traceparent() == null) {
            return Context.root();
        }
        try {
            return W3C.extract(Context.root(), trace, FROM_HEADERS);
        } catch (RuntimeException malformed) {
            return Context.root();
        }
    }

    /**
     * Runs a consumer's handling of {@code event} in a consumer span whose parent is the event's trace context, made
     * current so that what the handling publishes (outbox rows, direct events) carries the trace on. A bulk
     * {@code ProfilesStreamed} batch gets no span: the trace context alone is made current.
     */
    public void consume(String consumer, IncomingEvent event, Work work) throws Exception {
        Context parent = parent(event.trace());
        if (event.type() == EventType.PROFILES_STREAMED) {
            try (Scope ignored = parent.makeCurrent()) {
                work.run();
            }
            return;
        }
        boolean malformed = event.trace().traceparent() != null
                && !Span.fromContext(parent).getSpanContext().isValid();
        Span span = tracer.spanBuilder("process " + event.type().type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.consumer.group.name", consumer)
                .setAttribute("messaging.message.id", event.id())
                .setAttribute("cloudevents.event_id", event.id())
                .setAttribute("cloudevents.event_type", event.type().type())
                .setAttribute("cloudevents.event_source", event.source())
                .startSpan();
        UUID runId = runId(event.data());
        if (runId != null) {
            span.setAttribute(RUN_ID, runId.toString());
        }
        if (malformed) {
            // Kept visible on the new trace's first span, never on the event's fate.
            span.setAttribute("mailshot.trace.parent_malformed", true);
        }
        run(span, work);
    }

    /**
     * Runs work resumed from a stored trace context (deferred work picked up by a worker) in an internal span named
     * {@code name}, child of that context, or the first span of a new trace when none was stored.
     */
    public void resume(String name, UUID runId, TraceHeaders stored, Work work) throws Exception {
        Span span = tracer.spanBuilder(name)
                .setParent(parent(stored))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(RUN_ID, String.valueOf(runId))
                .startSpan();
        run(span, work);
    }

    private static void run(Span span, Work work) throws Exception {
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } catch (Exception | Error e) {
            // The class only: a message may name data the trace backend has no business holding.
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private static UUID runId(Record data) {
        Method accessor = data == null ? null : RUN_ID_OF.get(data.getClass());
        if (accessor == null) {
            return null;
        }
        try {
            return (UUID) accessor.invoke(data);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
