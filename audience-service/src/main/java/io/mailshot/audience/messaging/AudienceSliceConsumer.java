package io.mailshot.audience.messaging;

import io.mailshot.audience.service.resolution.RunResolver;
import io.mailshot.events.AudienceSliceRequested;
import io.mailshot.events.EventType;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.audience-slices}, the slices of runs split by a replica of this group (see
 * {@link RunResolver}). Partitions are shared by the replicas, which is what spreads a run's slices over
 * them. Failure behaviour is that of {@code runs-in}: a failing slice is retried later or failed by the resolver;
 * a malformed record is dead-lettered to {@code mailshot.dead-letter.audience} at once.
 */
@ApplicationScoped
public class AudienceSliceConsumer {

    private final EventCodec codec;
    private final RunResolver resolver;
    private final ConsumerGuard guard;

    public AudienceSliceConsumer(EventCodec codec, RunResolver resolver, ConsumerGuard guard) {
        this.codec = codec;
        this.resolver = resolver;
        this.guard = guard;
    }

    @Incoming("slices-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.AUDIENCE_SLICE_REQUESTED) {
            return;
        }
        AudienceSliceRequested request = event.data(AudienceSliceRequested.class);
        if (request.slices() < 2
                || request.slice() < 0
                || request.slice() >= request.slices()
                || request.run() == null
                || request.run().spec() == null
                || request.run().spec().columns() == null
                || !request.runId().equals(request.run().runId())) {
            throw new MalformedEventException(
                    "event " + event.id() + " is not a valid slice of run " + request.runId());
        }
        guard.handle(
                "slices-in",
                event,
                "run " + request.runId() + " slice " + request.slice(),
                () -> resolver.resolveSlice(event.id(), request));
    }
}
