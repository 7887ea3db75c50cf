package io.mailshot.campaign.messaging;

import io.mailshot.campaign.service.campaign.Approvals;
import io.mailshot.events.EventType;
import io.mailshot.events.RoutingChanged;
import io.mailshot.kit.messaging.ConsumerGuard;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.messaging.MalformedEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the delivery-service's {@link RoutingChanged} facts: an approval covers where the file goes, so campaigns
 * approved for a routing that changed since go back to DRAFT (see {@link Approvals#routingChanged}). A record that
 * breaks the contract goes to {@code mailshot.dead-letter.campaign}.
 */
@ApplicationScoped
public class RoutingChangeConsumer {

    private final EventCodec codec;
    private final Approvals approvals;
    private final ConsumerGuard guard;

    public RoutingChangeConsumer(EventCodec codec, Approvals approvals, ConsumerGuard guard) {
        this.codec = codec;
        this.approvals = approvals;
        this.guard = guard;
    }

    @Incoming("routing-changes-in")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        IncomingEvent event = codec.decode(record);
        if (event.type() != EventType.ROUTING_CHANGED) {
            throw new MalformedEventException("event " + event.id() + " of type " + event.type()
                    + " does not belong on the routing changes topic");
        }
        RoutingChanged change = event.data(RoutingChanged.class);
        if (change.routingId() == null || change.occurredAt() == null) {
            throw new MalformedEventException("event " + event.id() + " names no routing or time");
        }
        guard.handle(
                "routing-changes-in",
                event,
                "routing " + change.routingId(),
                () -> approvals.routingChanged(change, event.id()));
    }
}
