package io.mailshot.audience.messaging;

import io.mailshot.audience.service.resolution.RunResolver;
import io.mailshot.events.EventType;
import io.mailshot.events.RunRequested;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.runs}. Returning acknowledges the record (its offset is committed later). A run that
 * fails is retried later or failed by the resolver itself; a malformed record, or one that keeps failing while
 * the database answers, is nacked to {@code mailshot.dead-letter.audience} (see {@link ConsumerGuard}).
 */
@ApplicationScoped
public class RunRequestedConsumer {

    private final EventCodec codec;
    private final RunResolver resolver;
    private final ConsumerGuard guard;

    public RunRequestedConsumer(EventCodec codec, RunResolver resolver, ConsumerGuard guard) {
        this.codec = codec;
        this.resolver = resolver;
        this.guard = guard;
    }

    @Incoming("runs-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.RUN_REQUESTED) {
            return;
        }
        RunRequested run = event.data(RunRequested.class);
        if (run.spec() == null || run.spec().columns() == null) {
            throw new MalformedEventException("event " + event.id() + " has no spec.columns");
        }
        guard.handle("runs-in", event, "run " + run.runId(), () -> resolver.resolve(event.id(), run));
    }
}
