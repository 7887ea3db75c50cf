package io.mailshot.delivery.service;

import io.mailshot.delivery.persistence.DeliveryRepository;
import io.mailshot.delivery.persistence.DeliveryRow;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliveryAttempted;
import io.mailshot.events.DeliveryFailed;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.Topics;
import io.mailshot.kit.persistence.Outbox;
import io.mailshot.kit.persistence.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The transactional steps of a delivery: each state change is written together with the event that
 * describes it (outbox), and the triggering event id is recorded when the run's delivery is settled.
 */
@ApplicationScoped
public class DeliveryStore {

    static final String CONSUMER = "delivery-service";

    private final DeliveryRepository deliveries;
    private final Outbox outbox;
    private final ProcessedEvents processed;

    public DeliveryStore(DeliveryRepository deliveries, Outbox outbox, ProcessedEvents processed) {
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.processed = processed;
    }

    /**
     * Starts (or resumes) the run's delivery and returns the attempts already made; empty when the run was
     * already delivered or failed, in which case the event is recorded as processed and nothing else happens.
     */
    @Transactional
    public OptionalInt start(UUID runId, UUID routingId, String destination, String eventId) {
        deliveries.insertIfAbsent(runId, routingId, destination);
        DeliveryRow row = deliveries.findForUpdate(runId).orElseThrow();
        if (row.finished()) {
            processed.firstTime(CONSUMER, eventId);
            return OptionalInt.empty();
        }
        deliveries.update(runId, DeliveryRow.IN_PROGRESS, row.attempts(), destination, row.error());
        return OptionalInt.of(row.attempts());
    }

    /** A failed attempt that will be retried. */
    @Transactional
    public void attemptFailed(UUID runId, UUID routingId, int attempt, String destination, String error) {
        deliveries.update(runId, DeliveryRow.IN_PROGRESS, attempt, destination, error);
        outbox.append(Topics.DELIVERY_EVENTS, runId.toString(),
                new DeliveryAttempted(runId, routingId, attempt, destination, false, error));
    }

    @Transactional
    public void succeeded(UUID runId, UUID routingId, int attempt, String destination, List<DeliveredFile> files,
            String eventId) {
        deliveries.update(runId, DeliveryRow.SUCCEEDED, attempt, destination, null);
        deliveries.replaceFiles(runId, files);
        outbox.append(Topics.DELIVERY_EVENTS, runId.toString(),
                new DeliveryAttempted(runId, routingId, attempt, destination, true, null));
        outbox.append(Topics.DELIVERY_EVENTS, runId.toString(),
                new DeliverySucceeded(runId, routingId, destination, files));
        processed.firstTime(CONSUMER, eventId);
    }

    /** Final failure. {@code attempt} is 0 when nothing was attempted (e.g. the routing is not usable). */
    @Transactional
    public void failed(UUID runId, UUID routingId, int attempt, String destination, String reason, String eventId) {
        deliveries.insertIfAbsent(runId, routingId, destination);
        int attempts = attempt > 0 ? attempt : deliveries.find(runId).map(DeliveryRow::attempts).orElse(0);
        deliveries.update(runId, DeliveryRow.FAILED, attempts, destination, reason);
        if (attempt > 0) {
            outbox.append(Topics.DELIVERY_EVENTS, runId.toString(),
                    new DeliveryAttempted(runId, routingId, attempt, destination, false, reason));
        }
        outbox.append(Topics.DELIVERY_EVENTS, runId.toString(), new DeliveryFailed(runId, routingId, reason));
        processed.firstTime(CONSUMER, eventId);
    }
}
