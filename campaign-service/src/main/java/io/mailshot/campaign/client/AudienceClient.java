package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.events.MatchBack;
import io.mailshot.events.PressureCheck;
import io.mailshot.events.PressureRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Asks the audience-service about audiences, profiles and attribute paths, which it owns. */
@ApplicationScoped
public class AudienceClient {

    private static final String SERVICE = "audience-service";

    private final AudienceApi api;
    private final ServiceToken token;

    public AudienceClient(@RestClient AudienceApi api, ServiceToken token) {
        this.api = api;
        this.token = token;
    }

    public boolean exists(UUID audienceId) {
        return PeerCalls.find(SERVICE, () -> api.audience(token.bearer(), audienceId))
                .isPresent();
    }

    /** A stored profile document, or empty when there is none. */
    public Optional<JsonNode> profile(String namespace, String id) {
        return PeerCalls.find(SERVICE, () -> api.profile(token.bearer(), namespace, id));
    }

    /**
     * One attribute path's coverage: {@code known} is null when the audience-service could not decide in
     * time; {@code filled} and {@code sampled} are null when it could not sample in time.
     */
    public record PathCoverage(String path, Boolean known, Long filled, Long sampled) {}

    /**
     * Which paths exist in the profile store and how many of a sample of the audience fill them, or empty
     * when the audience does not exist.
     */
    public Optional<List<PathCoverage>> coverage(UUID audienceId, List<String> paths, int sample) {
        return PeerCalls.find(
                        SERVICE,
                        () -> api.coverage(token.bearer(), audienceId, Map.of("paths", paths, "sample", sample)))
                .map(answer -> {
                    List<PathCoverage> result = new ArrayList<>();
                    for (JsonNode p : answer.path("paths")) {
                        result.add(new PathCoverage(
                                p.path("path").asText(),
                                bool(p.get("known")),
                                number(p.get("filled")),
                                number(p.get("sampled"))));
                    }
                    return result;
                });
    }

    private static Boolean bool(JsonNode node) {
        return node == null || node.isNull() ? null : node.asBoolean();
    }

    private static Long number(JsonNode node) {
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
        return PeerCalls.find(SERVICE, () -> api.matchesAny(token.bearer(), audienceId))
                .map(n -> {
                    JsonNode any = n.path("matchesAny");
                    return any.isBoolean() ? (any.booleanValue() ? Matches.SOME : Matches.NONE) : Matches.UNDECIDED;
                })
                .orElse(Matches.MISSING);
    }

    /** How many non-test profiles the audience matches now; empty when the audience does not exist. */
    public Optional<Long> estimate(UUID audienceId) {
        return PeerCalls.find(SERVICE, () -> api.estimate(token.bearer(), audienceId))
                .map(n -> n.path("count").asLong());
    }

    /** How many of the audience's profiles the rules would stop now; empty when the audience does not exist. */
    public Optional<PressureCheck.Result> pressureCheck(UUID audienceId, UUID campaignId, List<PressureRule> rules) {
        return PeerCalls.find(
                SERVICE, () -> api.pressureCheck(token.bearer(), audienceId, new PressureCheck(campaignId, rules)));
    }

    /** The run's match-back over the window; a 404 (no such delivered run there) is "unavailable" like any failure. */
    public MatchBack matchBack(UUID runId, int windowDays) {
        return PeerCalls.call(
                SERVICE, "match back run " + runId, () -> api.matchBack(token.bearer(), runId, windowDays));
    }
}
