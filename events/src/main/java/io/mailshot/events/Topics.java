package io.mailshot.events;

import java.util.List;

/**
 * Kafka topic names. Every run topic's records are keyed by run id, so one run's events stay in order.
 */
public final class Topics {

    /** {@link RunRequested}, from campaign-service to audience-service. */
    public static final String RUNS = "mailshot.runs";
    /** {@link RunCancelled}, from campaign-service to every stage; separate so a busy consumer still sees it. */
    public static final String RUN_CANCELLATIONS = "mailshot.run-cancellations";
    /**
     * The profile stream: {@link ProfileStreamStarted}, {@link ProfilesStreamed} batches,
     * {@link ProfileStreamCompleted}.
     */
    public static final String PROFILES = "mailshot.profiles";
    /**
     * {@link AudienceSliceRequested}: the audience-service's own work queue for sliced resolution. The one topic
     * not keyed by run id alone ({@code <runId>:<slice>}), so slices spread over partitions and replicas.
     */
    public static final String AUDIENCE_SLICES = "mailshot.audience-slices";
    /** {@link AudienceResolutionStarted}, {@link AudienceResolutionProgressed}, {@link AudienceResolved}, {@link AudienceResolutionFailed}. */
    public static final String AUDIENCE_EVENTS = "mailshot.audience-events";
    /** {@link ExtractionStarted}, {@link ExtractionProgressed}, {@link ExtractionCompleted}, {@link ExtractionFailed}. */
    public static final String EXTRACTION_EVENTS = "mailshot.extraction-events";
    /** {@link DeliveryAttempted}, {@link DeliveryProgressed}, {@link DeliverySucceeded}, {@link DeliveryFailed}. */
    public static final String DELIVERY_EVENTS = "mailshot.delivery-events";

    /**
     * {@link RoutingChanged}, from delivery-service: a routing's destination or status changed. Keyed by routing
     * id; campaign-service returns campaigns approved for that routing to draft.
     */
    public static final String ROUTING_CHANGES = "mailshot.routing-changes";

    /**
     * Profile upserts from the customer's systems, consumed by audience-service (the topic form of its
     * ingestion API). Keyed by profile identity, not by run.
     */
    public static final String PROFILE_UPSERTS = "mailshot.profile-upserts";

    /**
     * {@link ProfileErased}, from audience-service: a person's profile was erased; the extraction-service purges the
     * staged exports of the runs it names when asked to. Keyed by erasure id; never carries the identity.
     */
    public static final String ERASURES = "mailshot.erasures";

    /** Every topic above, for a platform that provisions its topics before the services start. */
    public static final List<String> ALL = List.of(
            RUNS,
            RUN_CANCELLATIONS,
            PROFILES,
            AUDIENCE_SLICES,
            AUDIENCE_EVENTS,
            EXTRACTION_EVENTS,
            DELIVERY_EVENTS,
            ROUTING_CHANGES,
            PROFILE_UPSERTS,
            ERASURES);

    /** Prefix of each consuming service's dead-letter topic, e.g. {@code mailshot.dead-letter.audience}. */
    public static final String DEAD_LETTER_PREFIX = "mailshot.dead-letter.";

    private Topics() {}
}
