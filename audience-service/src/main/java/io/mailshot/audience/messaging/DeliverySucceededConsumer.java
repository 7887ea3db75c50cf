package io.mailshot.audience.messaging;

import io.mailshot.audience.service.history.ContactHistory;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.EventType;
import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code mailshot.delivery-events}: a run delivered ({@code DeliverySucceeded}, not a re-send) has its
 * contact history recorded. Other event types of the topic are ignored. A record whose recording keeps failing
 * while the database answers (a broken placements object) is dead-lettered to {@code mailshot.dead-letter.audience}
 * after a few tries (see {@link ConsumerGuard}), so other runs' records go on. An outage waits: of the database (the
 * guard), and of the staging bucket (here), so that a bucket away for a while dead-letters no delivered run.
 */
@ApplicationScoped
public class DeliverySucceededConsumer {

    private static final Logger LOG = Logger.getLogger(DeliverySucceededConsumer.class);
    private static final String CHANNEL = "delivery-events-in";
    private static final long FIRST_WAIT_MILLIS = 500;
    private static final long LONGEST_WAIT_MILLIS = 30_000;

    private final EventCodec codec;
    private final ContactHistory history;
    private final ConsumerGuard guard;
    private final WorkWatch watch;

    public DeliverySucceededConsumer(EventCodec codec, ContactHistory history, ConsumerGuard guard, WorkWatch watch) {
        this.codec = codec;
        this.history = history;
        this.guard = guard;
        this.watch = watch;
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
        awaitStaging(delivered);
        guard.handle(
                CHANNEL,
                event,
                "run " + delivered.runId(),
                () -> history.recordDelivered(event.id(), delivered.runId(), event.time()));
        history.sweepIfDue();
    }

    /**
     * Waits while the staging bucket does not answer: the guard would count that as the record's own failure and
     * dead-letter it. The partition is handled in order, so nothing behind this record could go on meanwhile;
     * readiness names the run once the wait passes {@code mailshot.health.stall-after}.
     */
    private void awaitStaging(DeliverySucceeded delivered) throws InterruptedException {
        long wait = FIRST_WAIT_MILLIS;
        while (true) {
            String error = history.stagingProblem().orElse(null);
            if (error == null) {
                return;
            }
            watch.worker(CHANNEL).failing("run " + delivered.runId(), "the staging bucket does not answer: " + error);
            LOG.warnf(
                    "%s: the staging bucket does not answer (%s); run %s waits %d ms",
                    CHANNEL, error, delivered.runId(), wait);
            Thread.sleep(wait);
            wait = Math.min(LONGEST_WAIT_MILLIS, wait * 2);
        }
    }
}
