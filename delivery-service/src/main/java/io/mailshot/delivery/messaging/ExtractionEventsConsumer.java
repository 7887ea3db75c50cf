package io.mailshot.delivery.messaging;

import io.mailshot.delivery.service.DeliveryService;
import io.mailshot.events.EventType;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes extraction events and starts the delivery of each completed extraction. */
@ApplicationScoped
public class ExtractionEventsConsumer {

    private final EventCodec codec;
    private final DeliveryService deliveries;

    public ExtractionEventsConsumer(EventCodec codec, DeliveryService deliveries) {
        this.codec = codec;
        this.deliveries = deliveries;
    }

    /**
     * Returns only when the run's delivery outcome is durable, so the offset is committed after the work.
     * Retries cover database hiccups; delivery failures themselves are settled inside and never thrown.
     */
    @Incoming("extraction-events-in")
    @Blocking
    @Retry(maxRetries = 5, delay = 500, abortOn = MalformedEventException.class)
    public void consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.EXTRACTION_COMPLETED) {
            return;
        }
        deliveries.deliver(event.id(), event.data(ExtractionCompleted.class));
    }
}
