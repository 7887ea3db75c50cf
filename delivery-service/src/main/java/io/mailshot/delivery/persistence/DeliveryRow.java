package io.mailshot.delivery.persistence;

import io.mailshot.events.DeliveredFile;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One delivery of a run's files, as stored in {@code delivery} and {@code delivered_file}: the original one
 * (id = run id) or an admin re-send. {@code staged} is the JSON of the staged files it delivers; {@code attemptBase} the
 * attempts made by the run's earlier deliveries (events number attempts run-wide); {@code nextAttemptAt} when an
 * IN_PROGRESS delivery is due for its next attempt.
 */
public record DeliveryRow(
        UUID id,
        UUID runId,
        String kind,
        UUID routingId,
        String status,
        int attempts,
        String destination,
        String error,
        Instant createdAt,
        Instant updatedAt,
        String staged,
        int attemptBase,
        Instant nextAttemptAt,
        List<DeliveredFile> files) {

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public static final String ORIGINAL = "ORIGINAL";
    public static final String RESEND = "RESEND";

    /** True when the delivery is over and must not be attempted again. */
    public boolean finished() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }
}
