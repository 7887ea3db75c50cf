package io.mailshot.events;

import java.util.Arrays;
import java.util.Optional;

/** Every event type of the contract: its CloudEvents {@code type} and the record its data maps to. */
public enum EventType {
    RUN_REQUESTED("io.mailshot.run.requested.v1", RunRequested.class),
    RUN_CANCELLED("io.mailshot.run.cancelled.v1", RunCancelled.class),
    PROFILE_STREAM_STARTED("io.mailshot.profile-stream.started.v1", ProfileStreamStarted.class),
    PROFILES_STREAMED("io.mailshot.profiles.streamed.v1", ProfilesStreamed.class),
    PROFILE_STREAM_COMPLETED("io.mailshot.profile-stream.completed.v1", ProfileStreamCompleted.class),
    PROFILE_STREAM_CANCELLED("io.mailshot.profile-stream.cancelled.v1", ProfileStreamCancelled.class),
    PROFILE_STREAM_ABANDONED("io.mailshot.profile-stream.abandoned.v1", ProfileStreamAbandoned.class),
    AUDIENCE_SLICE_REQUESTED("io.mailshot.audience.slice-requested.v1", AudienceSliceRequested.class),
    AUDIENCE_RESOLUTION_STARTED("io.mailshot.audience.resolution-started.v1", AudienceResolutionStarted.class),
    AUDIENCE_RESOLUTION_PROGRESSED("io.mailshot.audience.resolution-progressed.v1", AudienceResolutionProgressed.class),
    AUDIENCE_RESOLVED("io.mailshot.audience.resolved.v1", AudienceResolved.class),
    AUDIENCE_RESOLUTION_FAILED("io.mailshot.audience.resolution-failed.v1", AudienceResolutionFailed.class),
    EXTRACTION_STARTED("io.mailshot.extraction.started.v1", ExtractionStarted.class),
    EXTRACTION_PROGRESSED("io.mailshot.extraction.progressed.v1", ExtractionProgressed.class),
    EXTRACTION_COMPLETED("io.mailshot.extraction.completed.v1", ExtractionCompleted.class),
    EXTRACTION_FAILED("io.mailshot.extraction.failed.v1", ExtractionFailed.class),
    DELIVERY_ATTEMPTED("io.mailshot.delivery.attempted.v1", DeliveryAttempted.class),
    DELIVERY_PROGRESSED("io.mailshot.delivery.progressed.v1", DeliveryProgressed.class),
    DELIVERY_SUCCEEDED("io.mailshot.delivery.succeeded.v1", DeliverySucceeded.class),
    DELIVERY_FAILED("io.mailshot.delivery.failed.v1", DeliveryFailed.class),
    ROUTING_CHANGED("io.mailshot.routing.changed.v1", RoutingChanged.class),
    PROFILE_ERASED("io.mailshot.profile.erased.v1", ProfileErased.class);

    private final String type;
    private final Class<? extends Record> dataClass;

    EventType(String type, Class<? extends Record> dataClass) {
        this.type = type;
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    public Class<? extends Record> dataClass() {
        return dataClass;
    }

    public static Optional<EventType> ofType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    public static EventType of(Class<? extends Record> dataClass) {
        return Arrays.stream(values())
                .filter(t -> t.dataClass.equals(dataClass))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an event: " + dataClass.getName()));
    }
}
