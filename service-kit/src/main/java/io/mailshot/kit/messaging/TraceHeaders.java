package io.mailshot.kit.messaging;

/**
 * The W3C trace context an event carries (CloudEvents distributed-tracing extension: {@code ce_traceparent},
 * {@code ce_tracestate}), as text: either may be null, and neither is checked until a consumer continues the trace.
 */
public record TraceHeaders(String traceparent, String tracestate) {

    /** No trace context. */
    public static final TraceHeaders NONE = new TraceHeaders(null, null);
}
