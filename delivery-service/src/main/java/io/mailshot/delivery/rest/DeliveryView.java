package io.mailshot.delivery.rest;

import io.mailshot.events.DeliveredFile;
import java.util.List;
import java.util.UUID;

/** A run's delivery as {@code GET /deliveries/{runId}} shows it. */
public record DeliveryView(UUID runId, UUID routingId, String status, int attempts, String destination, String error,
        List<DeliveredFile> files) {
}
