package io.mailshot.campaign.messaging;

import io.mailshot.campaign.service.run.RunChanges;
import io.mailshot.campaign.service.run.RunProgress;
import io.mailshot.campaign.service.run.RunProjection;
import io.mailshot.events.AudienceResolutionProgressed;
import io.mailshot.events.DeliveryProgressed;
import io.mailshot.events.ExtractionProgressed;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the audience, extraction and delivery events and projects them onto runs. Advisory progress
 * events only update the run's progress figures. A record that breaks the contract goes to
 * {@code mailshot.dead-letter.campaign}; a failure while the database is away waits for it (see
 * {@link ConsumerGuard}).
 */
@ApplicationScoped
public class StageEventConsumer {

    private final EventCodec codec;
    private final RunProjection projection;
    private final RunProgress progress;
    private final RunChanges changes;
    private final ConsumerGuard guard;

    public StageEventConsumer(
            EventCodec codec, RunProjection projection, RunProgress progress, RunChanges changes, ConsumerGuard guard) {
        this.codec = codec;
        this.projection = projection;
        this.progress = progress;
        this.changes = changes;
        this.guard = guard;
    }

    @Incoming("stage-events-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        switch (event.type()) {
            // Frequent and advisory: kept out of the processed-event log and the run's lock.
            case AUDIENCE_RESOLUTION_PROGRESSED -> progress.audience(event.data(AudienceResolutionProgressed.class));
            case EXTRACTION_PROGRESSED -> progress.extraction(event.data(ExtractionProgressed.class));
            case DELIVERY_PROGRESSED -> progress.delivery(event.data(DeliveryProgressed.class));
            default -> {
                UUID runId = runId(event);
                guard.handle("stage-events-in", event, "run " + runId, () -> projection.apply(event, runId));
            }
        }
        // Each call above committed its own transaction: readers of the run may look again now.
        changes.changed();
    }

    private static UUID runId(IncomingEvent event) {
        try {
            return (UUID) event.data().getClass().getMethod("runId").invoke(event.data());
        } catch (ReflectiveOperationException e) {
            throw new MalformedEventException("event " + event.id() + " carries no runId");
        }
    }
}
