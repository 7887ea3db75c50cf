package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.config.PeerServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Asks the audience-service about audiences, profiles and attribute paths, which it owns. */
@ApplicationScoped
public class AudienceClient {

    private final PeerClient client;

    public AudienceClient(ObjectMapper json, ServiceToken token, PeerServicesConfig config) {
        this.client = new PeerClient(json, token, "audience-service", config.audienceUrl(), config.timeout());
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

    /** What the audience-service can say about an audience's size now. */
    public enum Matches {
        /** No such audience. */
        MISSING,
        /** It matches no profile. */
        NONE,
        /** It matches at least one profile. */
        SOME,
        /** The store could not tell within its time budget (a huge store and an empty or slow filter). */
        UNDECIDED
    }

    /** Whether the audience matches any profile now: answered at once for a non-empty audience of any size. */
    public Matches matchesAny(UUID audienceId) {
        return client.get("/audiences/" + audienceId + "/matches-any").map(n -> {
            com.fasterxml.jackson.databind.JsonNode any = n.path("matchesAny");
            return any.isBoolean() ? (any.booleanValue() ? Matches.SOME : Matches.NONE) : Matches.UNDECIDED;
        }).orElse(Matches.MISSING);
    }
}
