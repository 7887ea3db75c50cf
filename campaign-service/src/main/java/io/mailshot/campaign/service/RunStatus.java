package io.mailshot.campaign.service;

/** A run's stages, in order. A run only moves forward; DELIVERED and FAILED are final. */
public enum RunStatus {
    REQUESTED, RESOLVING, EXTRACTING, DELIVERING, DELIVERED, FAILED;

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED;
    }
}
