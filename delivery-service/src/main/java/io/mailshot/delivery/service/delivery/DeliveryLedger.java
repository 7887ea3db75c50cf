package io.mailshot.delivery.service.delivery;

import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.delivery.persistence.DeliveryRow;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliveryAttempted;
import io.mailshot.events.DeliveryFailed;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.Topics;
import io.mailshot.kit.persistence.DeferredWork;
import io.mailshot.kit.persistence.Outbox;
import io.mailshot.kit.persistence.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The transactional steps of a delivery: each state change is written together with the event that describes
 * it (outbox) and, while the delivery goes on, its next attempt ({@link DeferredWork}). The triggering event id
 * is recorded when the delivery is queued. Events number attempts run-wide ({@code attemptBase + attempt}) so a
 * re-send's attempts follow the original's.
 */
@ApplicationScoped
public class DeliveryLedger {

    static final String CONSUMER = "delivery-service";
    /** The kind of deferred work that makes a delivery's next attempt; its payload is the delivery id. */
    static final String ATTEMPT = "delivery.attempt";

    private final DeliveryRepository deliveries;
    private final Outbox outbox;
    private final ProcessedEvents processed;
    private final DeferredWork deferred;

    public DeliveryLedger(
            DeliveryRepository deliveries, Outbox outbox, ProcessedEvents processed, DeferredWork deferred) {
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.processed = processed;
        this.deferred = deferred;
    }

    /**
     * Queues the run's original delivery, due now, and records the event as processed; false when the run's
     * delivery was already queued (a repeated event), which changes nothing.
     */
    @Transactional
    public boolean queueOriginal(UUID runId, UUID routingId, String destination, String staged, String eventId) {
        processed.firstTime(CONSUMER, eventId);
        if (!deliveries.insertOriginalIfAbsent(runId, routingId, destination, staged)) {
            return false;
        }
        deferred.defer(ATTEMPT, runId, runId.toString(), Instant.now());
        return true;
    }

    /**
     * Records a new re-send of a run's staged files, IN_PROGRESS with no attempt yet; empty when a re-send of the
     * run to this routing is already in progress (a unique index decides, so concurrent requests cannot both win).
     */
    @Transactional
    public Optional<DeliveryRow> createResend(UUID runId, UUID routingId, String destination, String staged) {
        UUID id = UUID.randomUUID();
        if (!deliveries.insertResend(id, runId, routingId, destination, staged)) {
            return Optional.empty();
        }
        deferred.defer(ATTEMPT, runId, id.toString(), Instant.now());
        return deliveries.find(id);
    }

    private static boolean isResend(DeliveryRow delivery) {
        return "RESEND".equals(delivery.kind());
    }

    /** A failed attempt that will be retried at {@code nextAttemptAt}. */
    @Transactional
    public void attemptFailed(
            DeliveryRow delivery, int attempt, String destination, String error, Instant nextAttemptAt) {
        deliveries.update(delivery.id(), DeliveryRow.IN_PROGRESS, attempt, destination, error, nextAttemptAt);
        deferred.defer(ATTEMPT, delivery.runId(), delivery.id().toString(), nextAttemptAt);
        outbox.append(
                Topics.DELIVERY_EVENTS,
                delivery.runId().toString(),
                new DeliveryAttempted(
                        delivery.runId(),
                        delivery.routingId(),
                        delivery.attemptBase() + attempt,
                        destination,
                        false,
                        error,
                        delivery.id(),
                        isResend(delivery)));
    }

    @Transactional
    public void succeeded(
            DeliveryRow delivery, int attempt, String destination, List<DeliveredFile> files, String manifestName) {
        UUID runId = delivery.runId();
        deliveries.update(delivery.id(), DeliveryRow.SUCCEEDED, attempt, destination, null, null);
        deliveries.replaceFiles(delivery.id(), runId, files, manifestName);
        outbox.append(
                Topics.DELIVERY_EVENTS,
                runId.toString(),
                new DeliveryAttempted(
                        runId,
                        delivery.routingId(),
                        delivery.attemptBase() + attempt,
                        destination,
                        true,
                        null,
                        delivery.id(),
                        isResend(delivery)));
        outbox.append(
                Topics.DELIVERY_EVENTS,
                runId.toString(),
                new DeliverySucceeded(
                        runId, delivery.routingId(), destination, files, delivery.id(), isResend(delivery)));
    }

    /** Final failure. {@code attempt} is 0 when nothing was attempted (e.g. the routing is not usable). */
    @Transactional
    public void failed(DeliveryRow delivery, int attempt, String destination, String reason) {
        UUID runId = delivery.runId();
        int attempts = attempt > 0
                ? attempt
                : deliveries.find(delivery.id()).map(DeliveryRow::attempts).orElse(0);
        deliveries.update(delivery.id(), DeliveryRow.FAILED, attempts, destination, reason, null);
        if (attempt > 0) {
            outbox.append(
                    Topics.DELIVERY_EVENTS,
                    runId.toString(),
                    new DeliveryAttempted(
                            runId,
                            delivery.routingId(),
                            delivery.attemptBase() + attempt,
                            destination,
                            false,
                            reason,
                            delivery.id(),
                            isResend(delivery)));
        }
        outbox.append(
                Topics.DELIVERY_EVENTS,
                runId.toString(),
                new DeliveryFailed(runId, delivery.routingId(), reason, delivery.id(), isResend(delivery)));
    }
}
