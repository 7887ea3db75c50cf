package io.mailshot.delivery.persistence;

import io.mailshot.events.DeliveredFile;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A run's delivery as stored in {@code delivery} and {@code delivered_file}. */
public record DeliveryRow(UUID runId, UUID routingId, String status, int attempts, String destination, String error,
        Instant updatedAt, List<DeliveredFile> files) {

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** True when the run's delivery is over and must not be attempted again. */
    public boolean finished() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }
}
