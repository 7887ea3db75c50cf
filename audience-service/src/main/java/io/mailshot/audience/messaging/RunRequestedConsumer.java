package io.mailshot.audience.messaging;

import io.mailshot.audience.service.RunResolver;
import io.mailshot.events.EventType;
import io.mailshot.events.RunRequested;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.runs}. Returning acknowledges the record (its offset is committed later); a
 * malformed record, or one that keeps failing, is nacked to {@code mailshot.dead-letter.audience}.
 */
@ApplicationScoped
public class RunRequestedConsumer {

    private final EventCodec codec;
    private final RunResolver resolver;

    public RunRequestedConsumer(EventCodec codec, RunResolver resolver) {
        this.codec = codec;
        this.resolver = resolver;
    }

    @Incoming("runs-in")
    @Blocking
    @Retry(maxRetries = 5, delay = 500, abortOn = MalformedEventException.class)
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.RUN_REQUESTED) {
            return;
        }
        RunRequested run = event.data(RunRequested.class);
        if (run.spec() == null || run.spec().columns() == null) {
            throw new MalformedEventException("event " + event.id() + " has no spec.columns");
        }
        resolver.resolve(event.id(), run);
    }
}
