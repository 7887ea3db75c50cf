package io.mailshot.extraction.messaging;

import io.mailshot.kit.persistence.CancelledRuns;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.run-cancellations} on its own channel, so a cancellation is seen while the
 * profile-stream consumer is busy writing the very run it cancels.
 */
@ApplicationScoped
public class RunCancelledConsumer {

    private final EventCodec codec;
    private final CancelledRuns cancellations;

    public RunCancelledConsumer(EventCodec codec, CancelledRuns cancellations) {
        this.codec = codec;
        this.cancellations = cancellations;
    }

    @Incoming("cancellations-in")
    @Blocking
    @Retry(maxRetries = 5, delay = 500, abortOn = MalformedEventException.class)
    public void consume(ConsumerRecord<String, String> record) {
        cancellations.record(codec.decode(record));
    }
}
