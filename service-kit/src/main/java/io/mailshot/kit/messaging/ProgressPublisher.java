package io.mailshot.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends a run's advisory progress events ({@code ExtractionProgressed}, {@code DeliveryProgressed}) straight to the
 * broker, not through the outbox: the exact outcome always follows in the stage's own outbox event, so a lost one
 * costs a progress bar a tick, and a transaction per tick would hold up the work it reports on. Paced by
 * {@link ProgressPace}.
 */
@ApplicationScoped
public class ProgressPublisher {

    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final Producer<String, String> producer;
    private final EventCodec codec;
    private final String source;

    public ProgressPublisher(
            Producer<String, String> producer,
            EventCodec codec,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.producer = producer;
        this.codec = codec;
        this.source = "/mailshot/" + application;
    }

    /** Sends {@code progress} of {@code runId} to {@code topic}, keyed by the run, without waiting; a failure is logged and forgotten. */
    public void publish(String topic, UUID runId, Record progress) {
        producer.send(codec.encode(topic, runId.toString(), source, progress), (metadata, e) -> {
            if (e != null) {
                LOG.debugf("progress of run %s not sent: %s", runId, e.getMessage());
            }
        });
    }
}
