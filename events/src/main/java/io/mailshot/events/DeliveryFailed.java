package io.mailshot.events;

import java.util.UUID;

/**
 * The run's files could not be delivered; nothing partial is visible at the destination.
 *
 * @param deliveryId the delivery (the original or a re-send); null from older producers
 * @param resend true for an admin's re-send: the run itself stays as it was
 */
public record DeliveryFailed(UUID runId, UUID routingId, String reason, UUID deliveryId, boolean resend) {

    public DeliveryFailed(UUID runId, UUID routingId, String reason) {
        this(runId, routingId, reason, null, false);
    }
}
