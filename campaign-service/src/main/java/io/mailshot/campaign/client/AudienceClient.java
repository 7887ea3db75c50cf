package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.config.PeerServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Asks the audience-service whether an audience exists. */
@ApplicationScoped
public class AudienceClient {

    private final PeerClient client;

    public AudienceClient(ObjectMapper json, PeerServicesConfig config) {
        this.client = new PeerClient(json, "audience-service", config.audienceUrl(), config.timeout());
    }

    public boolean exists(UUID audienceId) {
        return client.get("/audiences/" + audienceId).isPresent();
    }

    /** A stored profile document, or empty when there is none. */
    public java.util.Optional<com.fasterxml.jackson.databind.JsonNode> profile(String namespace, String id) {
        return client.get("/profiles/" + java.net.URLEncoder.encode(namespace, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    /** How many profiles the audience matches now, or empty when it does not exist. */
    public java.util.Optional<Long> estimate(UUID audienceId) {
        return client.get("/audiences/" + audienceId + "/estimate").map(n -> n.path("count").asLong());
    }
}
