package io.mailshot.events;

import java.util.UUID;

/** One attempt to deliver a run's files, successful or not. */
public record DeliveryAttempted(UUID runId, UUID routingId, int attempt, String destination, boolean succeeded,
        String error) {
}
