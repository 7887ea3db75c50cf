package io.mailshot.audience.messaging;

import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.persistence.CancelledRuns;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.run-cancellations} on its own channel, so a cancellation is seen while the
 * run-requests channel is busy streaming the very run it cancels.
 */
@ApplicationScoped
public class RunCancelledConsumer {

    private final EventCodec codec;
    private final CancelledRuns cancellations;
    private final ConsumerGuard guard;

    public RunCancelledConsumer(EventCodec codec, CancelledRuns cancellations, ConsumerGuard guard) {
        this.codec = codec;
        this.cancellations = cancellations;
        this.guard = guard;
    }

    @Incoming("cancellations-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        guard.handle("cancellations-in", "cancellation of run " + record.key(),
                () -> cancellations.record(codec.decode(record)));
    }
}
