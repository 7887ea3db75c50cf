package io.mailshot.events;

import java.util.UUID;

/**
 * One attempt to deliver a run's files, successful or not.
 *
 * @param attempt numbered across the whole run, re-sends included
 * @param deliveryId the delivery this attempt belongs to (the original or a re-send); null from older producers
 * @param resend true when the delivery is an admin's re-send of an already delivered run
 */
public record DeliveryAttempted(
        UUID runId,
        UUID routingId,
        int attempt,
        String destination,
        boolean succeeded,
        String error,
        UUID deliveryId,
        boolean resend) {

    public DeliveryAttempted(
            UUID runId, UUID routingId, int attempt, String destination, boolean succeeded, String error) {
        this(runId, routingId, attempt, destination, succeeded, error, null, false);
    }
}
