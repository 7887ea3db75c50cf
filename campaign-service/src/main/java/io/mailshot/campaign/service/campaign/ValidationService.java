package io.mailshot.campaign.service.campaign;

import io.mailshot.campaign.client.AudienceClient;
import io.mailshot.campaign.client.ExtractionClient;
import io.mailshot.campaign.client.RoutingClient;
import io.mailshot.campaign.config.ValidationConfig;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.service.campaign.Validation.Finding;
import io.mailshot.campaign.service.configuration.ConfigurationService;
import io.mailshot.campaign.service.cost.CostEstimate;
import io.mailshot.campaign.service.cost.Costs;
import io.mailshot.campaign.service.cost.Money;
import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.campaign.service.file.FileNames;
import io.mailshot.campaign.service.file.FormatChecks;
import io.mailshot.events.PressureCheck;
import io.mailshot.events.PressureRule;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    private final ValidationConfig config;

    public ValidationService(
            CampaignService campaigns,
            ConfigurationService configurations,
            RoutingClient routings,
            AudienceClient audiences,
            ExtractionClient extraction,
            ValidationConfig config) {
        this.campaigns = campaigns;
        this.configurations = configurations;
        this.routings = routings;
        this.audiences = audiences;
        this.extraction = extraction;
        this.config = config;
    }

    public Validation validate(UUID campaignId) {
        return validate(campaignId, true);
    }

    /**
     * The same; with {@code counts} false the two findings that count the whole audience (what pressure would stop,
     * the estimated cost) are left out unless the campaign has a budget, which needs them. Activation asks for no
     * count it does not use: at millions of profiles each is a full scan, paid before the run could start.
     */
    public Validation validate(UUID campaignId, boolean counts) {
        CampaignEntity campaign = campaigns.find(campaignId);
        FileModel.Definition file = campaigns.stored(campaign).file();
        List<Finding> errors = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();

        DirectMailConfigurationEntity configuration = configurations.find(campaign.configurationId);
        if (!ConfigurationService.ACTIVE.equals(configuration.status)) {
            errors.add(new Finding(
                    "configuration-not-active",
                    "configurationId",
                    "configuration " + configuration.name + " is " + configuration.status));
        }
        Optional<String> routing = routings.status(configuration.routingId);
        if (routing.isEmpty()) {
            errors.add(new Finding(
                    "routing-missing",
                    "configurationId",
                    "file routing " + configuration.routingId + " no longer exists"));
        } else if (!"ACTIVE".equals(routing.get())) {
            errors.add(new Finding(
                    "routing-not-active",
                    "configurationId",
                    "file routing " + configuration.routingId + " is " + routing.get()));
        }
        try {
            FileNames.validate("file.nameTemplate", campaign.fileNameTemplate);
            FileNames.render(campaign.fileNameTemplate, campaign.name, campaign.id, UUID.randomUUID(), Instant.now());
        } catch (DomainException e) {
            errors.add(new Finding("name-template", "file.nameTemplate", e.getMessage()));
        }
        // Refused when saved; a campaign stored before the rule existed is reported here and cannot activate.
        for (var broken :
                FormatChecks.campaign(configurations.view(configuration).format(), file)) {
            errors.add(new Finding("file-format", broken.field(), broken.message()));
        }
        try {
            campaigns.folder(campaign, configuration, UUID.randomUUID(), Instant.now());
        } catch (DomainException e) {
            errors.add(new Finding(
                    "folder-template",
                    e.violations().isEmpty()
                            ? "file.folderTemplate"
                            : e.violations().get(0).field(),
                    e.getMessage()));
        }

        // Every column's attribute paths, with the field that names them in findings.
        List<ColumnPaths> columns = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        List<Integer> expressionColumns = new ArrayList<>();
        for (int i = 0; i < file.columns().size(); i++) {
            FileModel.Column column = file.columns().get(i);
            if (column.expression() != null && !column.expression().isBlank()) {
                expressions.add(column.expression());
                expressionColumns.add(i);
            } else {
                columns.add(new ColumnPaths("file.columns[" + i + "].path", column.label(), List.of(column.path())));
            }
        }
        if (!expressions.isEmpty()) {
            List<ExtractionClient.ExpressionCheck> checks = extraction.check(expressions);
            for (int e = 0; e < checks.size(); e++) {
                ExtractionClient.ExpressionCheck check = checks.get(e);
                String field = "file.columns[" + expressionColumns.get(e) + "].expression";
                if (check.valid()) {
                    columns.add(new ColumnPaths(
                            field, file.columns().get(expressionColumns.get(e)).label(), check.paths()));
                } else {
                    errors.add(new Finding("expression-invalid", field, check.error()));
                }
            }
        }
        List<String> paths =
                columns.stream().flatMap(c -> c.paths().stream()).distinct().toList();
        // A sample of the audience that holds anyone already proves the audience matches someone; only an
        // empty or undecided sample (or no paths to sample) asks again. Each question scans the store for the
        // audience's profiles, which for a selective audience of a large store takes a good part of a second.
        Optional<List<AudienceClient.PathCoverage>> coverage = paths.isEmpty()
                ? Optional.empty()
                : audiences.coverage(campaign.audienceId, paths, config.sampleSize());
        boolean sampledSome =
                coverage.stream().flatMap(List::stream).anyMatch(c -> c.sampled() != null && c.sampled() > 0);
        // "Does it match anyone", not "how many": counting a 10-million-profile audience takes longer than a
        // check may wait, while a non-empty one answers at its first match.
        AudienceClient.Matches matches =
                sampledSome ? AudienceClient.Matches.SOME : audiences.matchesAny(campaign.audienceId);
        switch (matches) {
            case MISSING ->
                errors.add(new Finding(
                        "audience-missing", "audienceId", "audience " + campaign.audienceId + " does not exist"));
            case NONE ->
                errors.add(new Finding("audience-empty", "audienceId", "the audience matches no profile today"));
            case UNDECIDED ->
                warnings.add(new Finding(
                        "audience-size-undecided",
                        "audienceId",
                        "the audience-service could not tell in time whether the audience matches any profile"));
            case SOME -> {}
        }
        coverage.ifPresent(answer -> coverage(answer, columns, errors, warnings));
        if (paths.stream().noneMatch(p -> p != null && p.startsWith("homeAddress."))) {
            errors.add(new Finding(
                    "address-column-missing",
                    "file.columns",
                    "no column reads the postal address (homeAddress.*): the provider could not mail the file"));
        }
        if (file.sort() == null || file.sort().isEmpty()) {
            warnings.add(new Finding(
                    "no-sort",
                    "file.sort",
                    "the file is not sorted; most print providers expect postal-code order for postage discounts"));
        }
        boolean counted = counts || CampaignService.budget(campaign) != null;
        PressureCheck.Result pressure = counted ? pressure(campaign, matches, warnings) : null;
        CostEstimate cost = counted ? cost(campaign, configuration, file, matches, pressure, errors, warnings) : null;
        return new Validation(errors.isEmpty(), errors, warnings, cost, pressure);
    }

    /**
     * What the pressure rules that apply would stop now, from the audience-service (which holds the contact history).
     * A check that cannot be made is a warning: the rules still apply when the run resolves.
     */
    private PressureCheck.Result pressure(
            CampaignEntity campaign, AudienceClient.Matches matches, List<Finding> warnings) {
        List<PressureRule> rules = campaigns.pressureRules(campaign);
        if (rules.isEmpty() || matches == AudienceClient.Matches.MISSING) {
            return null;
        }
        try {
            return audiences
                    .pressureCheck(campaign.audienceId, campaign.id, rules)
                    .orElse(null);
        } catch (DomainException e) {
            warnings.add(new Finding(
                    "pressure-undecided",
                    "pressureRules",
                    "the audience-service could not tell how many profiles the " + rules.size()
                            + " pressure rule(s) would stop (" + e.getMessage()
                            + "); they still apply when the run resolves"));
            return null;
        }
    }

    /**
     * The estimated cost of a run, when the configuration has prices: the audience's estimate less what pressure
     * stops (see {@link Costs#estimate}). Over the campaign's budget it is an error; an audience that cannot be
     * counted now is a warning (and activation of a campaign with a budget waits until it can be).
     */
    private CostEstimate cost(
            CampaignEntity campaign,
            DirectMailConfigurationEntity configuration,
            FileModel.Definition file,
            AudienceClient.Matches matches,
            PressureCheck.Result pressure,
            List<Finding> errors,
            List<Finding> warnings) {
        Pricing pricing = ConfigurationService.pricing(configuration);
        if (pricing == null || matches == AudienceClient.Matches.MISSING) {
            return null;
        }
        Optional<Long> audience;
        try {
            audience = audiences.estimate(campaign.audienceId);
        } catch (DomainException e) {
            warnings.add(new Finding(
                    "cost-undecided",
                    "audienceId",
                    "the audience-service could not count the audience (" + e.getMessage()
                            + "); the cost of a run cannot be estimated now"));
            return null;
        }
        if (audience.isEmpty()) {
            return null;
        }
        Money budget = CampaignService.budget(campaign);
        Integer holdout = campaigns.stored(campaign).holdoutPercent();
        CostEstimate cost = Costs.estimate(
                pricing,
                audience.get(),
                pressure == null ? 0 : pressure.stopped(),
                holdout == null ? 0 : holdout,
                file.splitEvery(),
                file.seeds() == null ? 0 : file.seeds().size(),
                budget);
        if (Boolean.FALSE.equals(cost.withinBudget())) {
            errors.add(new Finding("budget-exceeded", "budget", overBudget(cost)));
        }
        return cost;
    }

    private static String overBudget(CostEstimate cost) {
        return "the estimated cost of a run, " + cost.estimatedCost().toPlainString() + " " + cost.currency() + " ("
                + cost.pieces() + " pieces × " + cost.perPiece().toPlainString() + " + " + cost.files() + " file(s) × "
                + cost.perFile().toPlainString() + "), exceeds the campaign's budget of "
                + cost.budget().amount().toPlainString() + " " + cost.budget().currency();
    }

    /**
     * Activation's budget rule: a campaign with a budget starts only when its estimated cost is known and within it.
     * The refusal names the cap ({@code budget}) and the estimate ({@code estimatedCost}).
     */
    public void requireWithinBudget(UUID campaignId, Validation validation) {
        CampaignEntity campaign = campaigns.find(campaignId);
        Money budget = CampaignService.budget(campaign);
        if (budget == null) {
            return;
        }
        CostEstimate cost = validation.cost();
        if (cost == null) {
            throw DomainException.unavailable("the cost of a run could not be estimated now, and campaign " + campaignId
                    + " has a budget of " + budget.amount().toPlainString() + " " + budget.currency()
                    + ": it is activated only once its cost is known to be within it; try again");
        }
        if (Boolean.FALSE.equals(cost.withinBudget())) {
            String detail = overBudget(cost);
            throw new DomainException(
                    DomainException.Kind.RULE_BROKEN,
                    "budget-exceeded",
                    "Over budget",
                    detail,
                    List.of(
                            new DomainException.Violation(
                                    "budget",
                                    "budget",
                                    "budget: " + budget.amount().toPlainString() + " " + budget.currency()),
                            new DomainException.Violation(
                                    "estimatedCost",
                                    "budget",
                                    "estimatedCost: " + cost.estimatedCost().toPlainString() + " " + cost.currency())));
        }
    }

    /** A column's label, the paths it reads, and the field that names it in findings. */
    private record ColumnPaths(String field, String label, List<String> paths) {}

    /**
     * Reads the audience-service's answer (it owns profiles) on which paths exist at all and how well a sample of
     * the audience fills them: a path no profile has (and not a fixed profile field) is an error; a path it could
     * not decide about in time is only a warning; a sparsely filled column is a warning.
     */
    private void coverage(
            List<AudienceClient.PathCoverage> answer,
            List<ColumnPaths> columns,
            List<Finding> errors,
            List<Finding> warnings) {
        Map<String, AudienceClient.PathCoverage> byPath = new HashMap<>();
        answer.forEach(c -> byPath.put(c.path(), c));
        for (ColumnPaths column : columns) {
            for (String path : column.paths()) {
                AudienceClient.PathCoverage c = byPath.get(path);
                if (c == null) {
                    continue;
                }
                if (Boolean.FALSE.equals(c.known())) {
                    errors.add(new Finding(
                            "unknown-attribute-path",
                            column.field(),
                            "no profile has the attribute path '" + path
                                    + "' and it is not a field of the profile shape; check its spelling"));
                    continue;
                }
                if (c.known() == null) {
                    warnings.add(new Finding(
                            "attribute-path-undecided",
                            column.field(),
                            "the audience-service could not" + " tell in time whether any profile has '" + path
                                    + "'; check its spelling"));
                }
                if (c.sampled() != null
                        && c.sampled() > 0
                        && c.filled() != null
                        && c.filled() < config.sparseBelow() * c.sampled()) {
                    warnings.add(new Finding(
                            "sparse-column",
                            column.field(),
                            String.format(
                                    Locale.ROOT,
                                    "column '%s' (%s) is filled in %d of %d sampled profiles of the audience (%.1f%%),"
                                            + " below %.0f%%",
                                    column.label(),
                                    path,
                                    c.filled(),
                                    c.sampled(),
                                    100.0 * c.filled() / c.sampled(),
                                    100 * config.sparseBelow())));
                }
            }
        }
    }
}
