package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.config.PeerServicesConfig;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks the extraction-service, which owns the expression language and the renderer, to check
 * expressions. Campaigns never parse expressions themselves, so a check can never disagree with a run.
 */
@ApplicationScoped
public class ExtractionClient {

    /** One expression's verdict: the paths it reads, or its error. */
    public record ExpressionCheck(String expression, boolean valid, String error, List<String> paths) {
    }

    private final PeerClient client;

    public ExtractionClient(ObjectMapper json, ServiceToken token, PeerServicesConfig config) {
        this.client = new PeerClient(json, token, "extraction-service", config.extractionUrl(), config.timeout());
    }

    /** The extraction-service's rendering of sample rows: {fileName, lines, errors}. */
    public JsonNode preview(Map<String, Object> request) {
        return client.post("/previews", request)
                .orElseThrow(() -> DomainException.unavailable("extraction-service cannot render previews"));
    }

    public List<ExpressionCheck> check(List<String> expressions) {
        JsonNode answer = client.post("/expressions/check", Map.of("expressions", expressions))
                .orElseThrow(() -> DomainException.unavailable("extraction-service cannot check expressions"));
        List<ExpressionCheck> checks = new ArrayList<>();
        for (JsonNode result : answer.path("results")) {
            List<String> paths = new ArrayList<>();
            result.path("paths").forEach(p -> paths.add(p.asText()));
            JsonNode error = result.path("error");
            String message = error.isMissingNode() || error.isNull() ? null
                    : "at position " + error.path("position").asInt() + ": " + error.path("message").asText();
            checks.add(new ExpressionCheck(result.path("expression").asText(), result.path("valid").asBoolean(),
                    message, paths));
        }
        return checks;
    }
}
