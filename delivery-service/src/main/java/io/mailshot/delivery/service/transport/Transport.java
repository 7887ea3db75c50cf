package io.mailshot.delivery.service.transport;

import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.delivery.service.delivery.DeliveryJob;
import io.mailshot.delivery.service.routing.ConnectionSteps;
import io.mailshot.delivery.service.routing.Routing;
import io.mailshot.delivery.service.routing.RoutingType;
import io.mailshot.events.DeliveredFile;
import java.util.List;

/**
 * A kind of destination (one per {@link RoutingType}): publishes a run's staged files atomically (nothing is
 * visible before every part is written and verified; the manifest, then the trigger file, come last) and tries
 * a routing's destination step by step for the connection test.
 */
public interface Transport {

    /** The routing type this transport serves. */
    RoutingType type();

    /** The connection test's steps for this type, in order. */
    List<String> testSteps();

    /** Publishes the job's files, in order; a {@link DeliveryException} says whether trying again may help. */
    List<DeliveredFile> deliver(DeliveryJob job) throws DeliveryException;

    /**
     * Tries the routing's destination (its host already passed the egress policy), recording each step in
     * {@code steps}; what a step throws is that step's failure, reported by the caller.
     */
    void test(Routing routing, ConnectionSteps steps);
}
