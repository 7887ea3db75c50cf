package io.mailshot.delivery.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailshot.delivery.persistence.DeliveryRow;
import io.mailshot.events.DeliveredFile;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One delivery of a run's files as the API shows it. {@code GET /deliveries/{runId}} returns the original
 * delivery ({@code id} = run id, {@code kind} ORIGINAL) with its {@code resends}; files are in publication
 * order: the parts, the manifest, then the trigger file. {@code nextAttemptAt} is when an IN_PROGRESS delivery is
 * due for its next attempt ({@code error} says why the last one failed).
 */
public record DeliveryView(
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
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
        List<DeliveredFile> files,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<DeliveryView> resends) {

    static DeliveryView of(DeliveryRow d, List<DeliveryView> resends) {
        return new DeliveryView(
                d.id(),
                d.runId(),
                d.kind(),
                d.routingId(),
                d.status(),
                d.attempts(),
                d.destination(),
                d.error(),
                d.createdAt(),
                d.updatedAt(),
                d.finished() ? null : d.nextAttemptAt(),
                d.files(),
                resends);
    }
}
