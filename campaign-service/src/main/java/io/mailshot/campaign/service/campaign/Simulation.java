package io.mailshot.campaign.service.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.campaign.client.AudienceClient;
import io.mailshot.campaign.client.ExtractionClient;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.events.PressureCheck;
import io.mailshot.events.PressureRule;
import io.mailshot.events.RunSpec;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Renders a preview of a campaign's file for sample or test profiles, without creating a run. The
 * extraction-service renders it with the same code as real files, so a preview never differs from them.
 */
@ApplicationScoped
@Transactional
public class Simulation {

    /** A stored test profile named by identity. */
    public record TestProfile(String namespace, String id) {}

    private final CampaignService campaigns;
    private final AudienceClient audiences;
    private final ExtractionClient extraction;

    public Simulation(CampaignService campaigns, AudienceClient audiences, ExtractionClient extraction) {
        this.campaigns = campaigns;
        this.audiences = audiences;
        this.extraction = extraction;
    }

    public JsonNode simulate(UUID campaignId, List<TestProfile> testProfiles, List<JsonNode> inline, int limit) {
        CampaignEntity campaign = campaigns.find(campaignId);
        RunSpec spec = campaigns.spec(campaign, UUID.randomUUID(), Instant.now());
        List<String> fields = spec.fields();
        List<Map<String, Object>> profiles = new ArrayList<>();
        List<JsonNode> documents = new ArrayList<>(inline == null ? List.of() : inline);
        if (testProfiles != null) {
            for (int i = 0; i < testProfiles.size(); i++) {
                TestProfile ref = testProfiles.get(i);
                int index = i;
                documents.add(audiences
                        .profile(ref.namespace(), ref.id())
                        .orElseThrow(() -> DomainException.invalid(
                                "testProfiles[" + index + "]",
                                "exists",
                                "profile " + ref.namespace() + ":" + ref.id() + " does not exist")));
            }
        }
        if (documents.isEmpty()) {
            throw DomainException.invalid("profiles", "not-empty", "give inline profiles or testProfiles to simulate");
        }
        for (JsonNode document : documents) {
            List<String> values = new ArrayList<>();
            for (String path : fields) {
                JsonNode value = document.at("/" + path.replace('.', '/'));
                values.add(
                        value.isMissingNode() || value.isNull()
                                ? null
                                : value.isValueNode() ? value.asText() : value.toString());
            }
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("profileId", document.at("/identity/id").asText(""));
            profile.put("values", values);
            profiles.add(profile);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("spec", spec);
        request.put("campaignName", campaign.name);
        request.put("fields", fields);
        request.put("profiles", profiles);
        request.put("limit", limit);
        JsonNode preview = extraction.preview(request);
        if (preview instanceof ObjectNode answer) {
            pressure(campaign, answer);
        }
        return preview;
    }

    /**
     * Adds what the pressure rules would stop now to the preview ({@code pressure}: eligible, stopped, per rule); when
     * the audience-service cannot tell, a {@code warnings} entry instead of a failed simulation.
     */
    private void pressure(CampaignEntity campaign, ObjectNode answer) {
        List<PressureRule> rules = campaigns.pressureRules(campaign);
        if (rules.isEmpty()) {
            return;
        }
        try {
            audiences.pressureCheck(campaign.audienceId, campaign.id, rules).ifPresent(result -> {
                ObjectNode pressure = answer.putObject("pressure");
                pressure.put("eligible", result.eligible());
                pressure.put("stopped", result.stopped());
                var counts = pressure.putArray("rules");
                for (PressureCheck.RuleCount rule :
                        result.rules() == null ? List.<PressureCheck.RuleCount>of() : result.rules()) {
                    counts.addObject()
                            .put("ruleId", String.valueOf(rule.ruleId()))
                            .put("name", rule.name())
                            .put("stopped", rule.stopped());
                }
            });
        } catch (DomainException e) {
            answer.putArray("warnings")
                    .addObject()
                    .put("code", "pressure-undecided")
                    .put("field", "pressureRules")
                    .put(
                            "message",
                            "the audience-service could not tell how many profiles the pressure rules would" + " stop ("
                                    + e.getMessage() + ")");
        }
    }
}
