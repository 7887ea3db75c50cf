package io.mailshot.delivery.messaging;

import io.mailshot.events.DeliveryProgressed;
import io.mailshot.events.Topics;
import io.mailshot.kit.messaging.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends {@link DeliveryProgressed} straight to the broker, not through the outbox: progress is advisory (the
 * outcome follows in {@code DeliverySucceeded} or {@code DeliveryFailed}), so a lost one costs a progress bar a
 * tick, and a transaction per tick would hold up the upload.
 */
@ApplicationScoped
public class DeliveryProgressPublisher {

    private static final Logger LOG = Logger.getLogger(DeliveryProgressPublisher.class);

    private final Producer<String, String> producer;
    private final EventCodec codec;
    private final String source;

    public DeliveryProgressPublisher(
            Producer<String, String> producer,
            EventCodec codec,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.producer = producer;
        this.codec = codec;
        this.source = "/mailshot/" + application;
    }

    /** Sends without waiting; a failure is logged and forgotten. */
    public void publish(DeliveryProgressed progress) {
        producer.send(
                codec.encode(Topics.DELIVERY_EVENTS, progress.runId().toString(), source, progress), (metadata, e) -> {
                    if (e != null) {
                        LOG.debugf("delivery progress of run %s not sent: %s", progress.runId(), e.getMessage());
                    }
                });
    }
}
