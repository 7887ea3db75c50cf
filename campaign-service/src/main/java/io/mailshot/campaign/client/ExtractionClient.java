package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks the extraction-service, which owns the expression language and the renderer, to check
 * expressions. Campaigns never parse expressions themselves, so a check can never disagree with a run.
 */
@ApplicationScoped
public class ExtractionClient {

    /** One expression's verdict: the paths it reads, or its error. */
    public record ExpressionCheck(String expression, boolean valid, String error, List<String> paths) {}

    private static final String SERVICE = "extraction-service";

    private final ExtractionApi api;
    private final ServiceToken token;

    public ExtractionClient(@RestClient ExtractionApi api, ServiceToken token) {
        this.api = api;
        this.token = token;
    }

    /** The extraction-service's rendering of sample rows: {fileName, lines, errors}. */
    public JsonNode preview(Map<String, Object> request) {
        return PeerCalls.call(SERVICE, "render previews", () -> api.preview(token.bearer(), request));
    }

    public List<ExpressionCheck> check(List<String> expressions) {
        JsonNode answer = PeerCalls.call(
                SERVICE, "check expressions", () -> api.check(token.bearer(), Map.of("expressions", expressions)));
        List<ExpressionCheck> checks = new ArrayList<>();
        for (JsonNode result : answer.path("results")) {
            List<String> paths = new ArrayList<>();
            result.path("paths").forEach(p -> paths.add(p.asText()));
            JsonNode error = result.path("error");
            String message = error.isMissingNode() || error.isNull()
                    ? null
                    : "at position " + error.path("position").asInt() + ": "
                            + error.path("message").asText();
            checks.add(new ExpressionCheck(
                    result.path("expression").asText(), result.path("valid").asBoolean(), message, paths));
        }
        return checks;
    }
}
