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

    /** How many profiles the audience matches now, or empty when it does not exist. */
    public java.util.Optional<Long> estimate(UUID audienceId) {
        return client.get("/audiences/" + audienceId + "/estimate").map(n -> n.path("count").asLong());
    }
}
