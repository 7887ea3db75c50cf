package io.mailshot.extraction.messaging;

import io.mailshot.events.EventType;
import io.mailshot.events.ProfileErased;
import io.mailshot.extraction.service.run.StagingRetention;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mailshot.erasures}: when a person's erasure asks for it ({@code purgeExports}), removes the staged
 * objects of the runs it names, whose files may hold the person's row. Idempotent (deleting what is gone does
 * nothing), so a redelivered event needs no processed-event log.
 */
@ApplicationScoped
public class ErasureConsumer {

    private final EventCodec codec;
    private final StagingRetention retention;
    private final ConsumerGuard guard;

    public ErasureConsumer(EventCodec codec, StagingRetention retention, ConsumerGuard guard) {
        this.codec = codec;
        this.retention = retention;
        this.guard = guard;
    }

    @Incoming("erasures-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.PROFILE_ERASED) {
            throw new MalformedEventException("mailshot.erasures carries only " + EventType.PROFILE_ERASED.type());
        }
        ProfileErased erased = event.data(ProfileErased.class);
        if (!erased.purgeExports() || erased.runIds() == null || erased.runIds().isEmpty()) {
            return;
        }
        guard.handle(
                "erasures-in",
                event,
                "erasure " + erased.erasureId(),
                () -> retention.purgeErased(erased.erasureId(), erased.runIds(), Instant.now()));
    }
}
