package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/**
 * Every file of the run is published at the destination, the manifest last.
 *
 * @param deliveryId the delivery (the original or a re-send); null from older producers
 * @param resend true for an admin's re-send of an already delivered run
 */
public record DeliverySucceeded(
        UUID runId, UUID routingId, String destination, List<DeliveredFile> files, UUID deliveryId, boolean resend) {

    public DeliverySucceeded(UUID runId, UUID routingId, String destination, List<DeliveredFile> files) {
        this(runId, routingId, destination, files, null, false);
    }
}
