package io.mailshot.campaign.service.run;

/** A run's stages, in order. A run only moves forward; DELIVERED, FAILED and CANCELLED are final. */
public enum RunStatus {
    REQUESTED,
    RESOLVING,
    EXTRACTING,
    DELIVERING,
    DELIVERED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED || this == CANCELLED;
    }
}
