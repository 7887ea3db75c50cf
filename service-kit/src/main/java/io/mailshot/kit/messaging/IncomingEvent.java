package io.mailshot.kit.messaging;

import io.mailshot.events.EventType;
import java.time.Instant;

/** A decoded CloudEvent: its attributes and its typed data. */
public record IncomingEvent(String id, EventType type, String source, Instant time, Record data) {

    public <T extends Record> T data(Class<T> type) {
        return type.cast(data);
    }
}
