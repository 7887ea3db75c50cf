package io.mailshot.campaign.service;

import io.mailshot.campaign.client.AudienceClient;
import io.mailshot.campaign.client.ExtractionClient;
import io.mailshot.campaign.client.RoutingClient;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.rest.ApiModels.ColumnRequest;
import io.mailshot.campaign.rest.ApiModels.FileDefinition;
import io.mailshot.campaign.rest.ApiModels.Finding;
import io.mailshot.campaign.rest.ApiModels.ValidationView;
import io.mailshot.kit.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks a campaign before activation: errors block it, warnings advise. Every finding has a stable code,
 * the field it concerns and a plain message.
 */
@ApplicationScoped
@Transactional
public class ValidationService {

    private final CampaignService campaigns;
    private final ConfigurationService configurations;
    private final RoutingClient routings;
    private final AudienceClient audiences;
    private final ExtractionClient extraction;

    public ValidationService(CampaignService campaigns, ConfigurationService configurations, RoutingClient routings,
            AudienceClient audiences, ExtractionClient extraction) {
        this.campaigns = campaigns;
        this.configurations = configurations;
        this.routings = routings;
        this.audiences = audiences;
        this.extraction = extraction;
    }

    public ValidationView validate(UUID campaignId) {
        CampaignEntity campaign = campaigns.find(campaignId);
        FileDefinition file = campaigns.stored(campaign).file();
        List<Finding> errors = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();

        DirectMailConfigurationEntity configuration = configurations.find(campaign.configurationId);
        if (!ConfigurationService.ACTIVE.equals(configuration.status)) {
            errors.add(new Finding("configuration-not-active", "configurationId",
                    "configuration " + configuration.name + " is " + configuration.status));
        }
        Optional<String> routing = routings.status(configuration.routingId);
        if (routing.isEmpty()) {
            errors.add(new Finding("routing-missing", "configurationId",
                    "file routing " + configuration.routingId + " no longer exists"));
        } else if (!"ACTIVE".equals(routing.get())) {
            errors.add(new Finding("routing-not-active", "configurationId",
                    "file routing " + configuration.routingId + " is " + routing.get()));
        }
        Optional<Long> size = audiences.estimate(campaign.audienceId);
        if (size.isEmpty()) {
            errors.add(new Finding("audience-missing", "audienceId", "audience " + campaign.audienceId
                    + " does not exist"));
        } else if (size.get() == 0) {
            errors.add(new Finding("audience-empty", "audienceId", "the audience matches no profile today"));
        }
        try {
            FileNames.validate("file.nameTemplate", campaign.fileNameTemplate);
            FileNames.render(campaign.fileNameTemplate, campaign.name, campaign.id, UUID.randomUUID(), Instant.now());
        } catch (ApiException e) {
            errors.add(new Finding("name-template", "file.nameTemplate", e.getMessage()));
        }

        List<String> paths = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        List<Integer> expressionColumns = new ArrayList<>();
        for (int i = 0; i < file.columns().size(); i++) {
            ColumnRequest column = file.columns().get(i);
            if (column.expression() != null && !column.expression().isBlank()) {
                expressions.add(column.expression());
                expressionColumns.add(i);
            } else {
                paths.add(column.path());
            }
        }
        if (!expressions.isEmpty()) {
            List<ExtractionClient.ExpressionCheck> checks = extraction.check(expressions);
            for (int e = 0; e < checks.size(); e++) {
                ExtractionClient.ExpressionCheck check = checks.get(e);
                if (check.valid()) {
                    paths.addAll(check.paths());
                } else {
                    errors.add(new Finding("expression-invalid",
                            "file.columns[" + expressionColumns.get(e) + "].expression", check.error()));
                }
            }
        }
        if (paths.stream().noneMatch(p -> p != null && p.startsWith("homeAddress."))) {
            errors.add(new Finding("address-column-missing", "file.columns",
                    "no column reads the postal address (homeAddress.*): the provider could not mail the file"));
        }
        if (file.sort() == null || file.sort().isEmpty()) {
            warnings.add(new Finding("no-sort", "file.sort",
                    "the file is not sorted; most print providers expect postal-code order for postage discounts"));
        }
        return new ValidationView(errors.isEmpty(), errors, warnings);
    }
}
