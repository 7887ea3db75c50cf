package io.mailshot.events;

import java.util.UUID;

/** The run's files could not be delivered; nothing partial is visible at the destination. */
public record DeliveryFailed(UUID runId, UUID routingId, String reason) {
}
