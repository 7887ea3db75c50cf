package io.mailshot.events;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel as record headers,
 * the record value is the JSON {@code data}.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    /**
     * CloudEvents distributed-tracing extension: the W3C {@code traceparent} of the work that published the event
     * (every event of one run shares its trace id), and the vendor {@code tracestate} that goes with it. Optional.
     */
    public static final String TRACEPARENT = "ce_traceparent";

    public static final String TRACESTATE = "ce_tracestate";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    /** Header added to a dead-lettered record: why it was rejected. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";

    private CloudEventHeaders() {}
}
