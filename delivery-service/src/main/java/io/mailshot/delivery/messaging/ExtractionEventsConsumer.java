package io.mailshot.delivery.messaging;

import io.mailshot.delivery.service.delivery.DeliveryService;
import io.mailshot.events.EventType;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes extraction events and starts the delivery of each completed extraction. */
@ApplicationScoped
public class ExtractionEventsConsumer {

    private final EventCodec codec;
    private final DeliveryService deliveries;
    private final ConsumerGuard guard;

    public ExtractionEventsConsumer(EventCodec codec, DeliveryService deliveries, ConsumerGuard guard) {
        this.codec = codec;
        this.deliveries = deliveries;
        this.guard = guard;
    }

    /**
     * Returns once the run's delivery is queued (durable), so the offset is committed after that; the delivery
     * itself goes on in the deferred-work workers and never holds up the next record.
     */
    @Incoming("extraction-events-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.EXTRACTION_COMPLETED) {
            return;
        }
        ExtractionCompleted completed = event.data(ExtractionCompleted.class);
        guard.handle(
                "extraction-events-in",
                event,
                "run " + completed.runId(),
                () -> deliveries.deliver(event.id(), completed));
    }
}
