package io.mailshot.extraction.messaging;

import io.mailshot.events.ExtractionProgressed;
import io.mailshot.events.Topics;
import io.mailshot.kit.messaging.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends {@link ExtractionProgressed} straight to the broker, not through the outbox: progress is advisory
 * (the exact figures follow in {@code ExtractionCompleted}), so a lost one costs a progress bar a tick, and
 * a transaction per tick would cost every run time.
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

    /** Sends without waiting; a failure is logged and forgotten. */
    public void publish(ExtractionProgressed progress) {
        producer.send(
                codec.encode(Topics.EXTRACTION_EVENTS, progress.runId().toString(), source, progress),
                (metadata, e) -> {
                    if (e != null) {
                        LOG.debugf("progress of run %s not sent: %s", progress.runId(), e.getMessage());
                    }
                });
    }
}
