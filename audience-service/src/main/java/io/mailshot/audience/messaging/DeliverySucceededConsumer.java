package io.mailshot.audience.messaging;

import io.mailshot.audience.service.history.ContactHistory;
import io.mailshot.events.DeliverySucceeded;
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
 * Consumes {@code mailshot.delivery-events}: a run delivered ({@code DeliverySucceeded}, not a re-send) has its
 * contact history recorded. Other event types of the topic are ignored. A record whose recording keeps failing
 * while the database answers (a broken placements object) is dead-lettered to {@code mailshot.dead-letter.audience}
 * after a few tries (see {@link ConsumerGuard}), so other runs' records go on. An outage waits, of the database or of the
 * staging bucket (named to the guard as a dependency), so that a bucket away for a while dead-letters no delivered run.
 */
@ApplicationScoped
public class DeliverySucceededConsumer {

    private static final String CHANNEL = "delivery-events-in";

    private final EventCodec codec;
    private final ContactHistory history;
    private final ConsumerGuard guard;

    public DeliverySucceededConsumer(EventCodec codec, ContactHistory history, ConsumerGuard guard) {
        this.codec = codec;
        this.history = history;
        this.guard = guard;
    }

    @Incoming("delivery-events-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.DELIVERY_SUCCEEDED) {
            return;
        }
        DeliverySucceeded delivered = event.data(DeliverySucceeded.class);
        if (delivered.resend()) {
            return; // the run was recorded when first delivered; a re-send mails nobody again
        }
        if (delivered.runId() == null) {
            throw new MalformedEventException("event " + event.id() + " has no runId");
        }
        if (event.time() == null) {
            throw new MalformedEventException("event " + event.id() + " has no time");
        }
        // While the staging bucket does not answer, the run waits like in a database outage: never dead-lettered.
        guard.handle(
                CHANNEL,
                event,
                "run " + delivered.runId(),
                () -> history.stagingProblem().map(error -> "the staging bucket does not answer: " + error),
                () -> history.recordDelivered(event.id(), delivered.runId(), event.time()));
        history.sweepIfDue();
    }
}
