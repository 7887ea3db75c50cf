package io.mailshot.campaign.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Reads a file routing's status from the delivery-service, which owns routings. */
@ApplicationScoped
public class RoutingClient {

    private final RoutingApi api;
    private final ServiceToken token;

    public RoutingClient(@RestClient RoutingApi api, ServiceToken token) {
        this.api = api;
        this.token = token;
    }

    /** The routing's status (DRAFT, ACTIVE, ARCHIVED), or empty when it does not exist. */
    public Optional<String> status(UUID routingId) {
        return PeerCalls.find("delivery-service", () -> api.routing(token.bearer(), routingId))
                .map(node -> node.path("status").asText(""));
    }
}
