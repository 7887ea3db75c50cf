package io.mailshot.kit.messaging;

import io.mailshot.events.EventType;
import java.time.Instant;

/** A decoded CloudEvent: its attributes, its typed data, and the trace context it carries (unchecked). */
public record IncomingEvent(String id, EventType type, String source, Instant time, Record data, TraceHeaders trace) {

    public IncomingEvent {
        trace = trace == null ? TraceHeaders.NONE : trace;
    }

    /** An event that carries no trace context. */
    public IncomingEvent(String id, EventType type, String source, Instant time, Record data) {
        this(id, type, source, time, data, TraceHeaders.NONE);
    }

    public <T extends Record> T data(Class<T> type) {
        return type.cast(data);
    }
}
