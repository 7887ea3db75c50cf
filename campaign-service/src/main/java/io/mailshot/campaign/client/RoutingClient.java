package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.config.PeerServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Reads a file routing's status from the delivery-service, which owns routings. */
@ApplicationScoped
public class RoutingClient {

    private final PeerClient client;

    public RoutingClient(ObjectMapper json, ServiceToken token, PeerServicesConfig config) {
        this.client = new PeerClient(json, token, "delivery-service", config.deliveryUrl(), config.timeout());
    }

    /** The routing's status (DRAFT, ACTIVE, ARCHIVED), or empty when it does not exist. */
    public Optional<String> status(UUID routingId) {
        return client.get("/file-routings/" + routingId).map(node -> node.path("status").asText(""));
    }
}
