package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/** Every file of the run is published at the destination. */
public record DeliverySucceeded(UUID runId, UUID routingId, String destination, List<DeliveredFile> files) {
}
