package io.mailshot.kit.messaging;

import io.mailshot.kit.persistence.CancelledRuns;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.run-cancellations} on its own channel {@code cancellations-in} and records each
 * cancellation in {@link CancelledRuns}, so a cancellation is seen while the service's main channel is busy with
 * the very run it cancels. Present in a service that sets {@code mailshot.cancellations.consume=true} (a
 * build-time property: the services that stop a cancelled run, not campaign-service, which produces them) and
 * configures the channel.
 */
@ApplicationScoped
@IfBuildProperty(name = "mailshot.cancellations.consume", stringValue = "true")
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
        IncomingEvent event = codec.decode(record);
        guard.handle(
                "cancellations-in", event, "cancellation of run " + record.key(), () -> cancellations.record(event));
    }
}
