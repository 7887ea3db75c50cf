package io.mailshot.delivery.service.transport;

import io.mailshot.delivery.service.routing.RoutingType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The transport of each routing type: deliveries and connection tests ask here instead of switching on the type. */
@ApplicationScoped
public class Transports {

    private final Map<RoutingType, Transport> byType = new EnumMap<>(RoutingType.class);

    public Transports(Instance<Transport> all) {
        for (Transport transport : all) {
            if (byType.put(transport.type(), transport) != null) {
                throw new IllegalStateException("two transports for " + transport.type());
            }
        }
        for (RoutingType type : RoutingType.values()) {
            if (!byType.containsKey(type)) {
                throw new IllegalStateException("no transport for " + type);
            }
        }
    }

    /** The transport that delivers to (and tests) routings of {@code type}. */
    public Transport of(RoutingType type) {
        return byType.get(type);
    }
}
