package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.config.PeerServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Asks the audience-service about audiences, profiles and attribute paths, which it owns. */
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

    /**
     * One attribute path's coverage: {@code known} is null when the audience-service could not decide in
     * time; {@code filled} and {@code sampled} are null when it could not sample in time.
     */
    public record PathCoverage(String path, Boolean known, Long filled, Long sampled) {
    }

    /**
     * Which paths exist in the profile store and how many of a sample of the audience fill them, or empty
     * when the audience does not exist.
     */
    public java.util.Optional<java.util.List<PathCoverage>> coverage(UUID audienceId, java.util.List<String> paths,
            int sample) {
        return client.post("/audiences/" + audienceId + "/field-coverage",
                java.util.Map.of("paths", paths, "sample", sample)).map(answer -> {
                    java.util.List<PathCoverage> result = new java.util.ArrayList<>();
                    for (com.fasterxml.jackson.databind.JsonNode p : answer.path("paths")) {
                        result.add(new PathCoverage(p.path("path").asText(), bool(p.get("known")),
                                number(p.get("filled")), number(p.get("sampled"))));
                    }
                    return result;
                });
    }

    private static Boolean bool(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asBoolean();
    }

    private static Long number(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asLong();
    }

    /** How many profiles the audience matches now, or empty when it does not exist. */
    public java.util.Optional<Long> estimate(UUID audienceId) {
        return client.get("/audiences/" + audienceId + "/estimate").map(n -> n.path("count").asLong());
    }
}
