package io.mailshot.campaign.service.configuration;

import io.mailshot.campaign.client.RoutingClient;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.ConfigurationRepository;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.service.Actors;
import io.mailshot.campaign.service.Listing;
import io.mailshot.campaign.service.campaign.Approvals;
import io.mailshot.campaign.service.campaign.CampaignService;
import io.mailshot.campaign.service.campaign.CampaignStatus;
import io.mailshot.campaign.service.campaign.Definitions;
import io.mailshot.campaign.service.cost.Costs;
import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.campaign.service.file.FileNames;
import io.mailshot.campaign.service.file.FormatChecks;
import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Direct-mail configurations: named channel settings that point at an active file routing. */
@ApplicationScoped
@Transactional
public class ConfigurationService {

    public static final String ACTIVE = "ACTIVE";
    public static final String ARCHIVED = "ARCHIVED";

    private final ConfigurationRepository configurations;
    private final RoutingClient routings;
    private final Definitions definitions;
    private final CampaignRepository campaigns;
    private final Approvals approvals;
    private final AuditTrail audit;

    public ConfigurationService(
            ConfigurationRepository configurations,
            RoutingClient routings,
            Definitions definitions,
            CampaignRepository campaigns,
            Approvals approvals,
            AuditTrail audit) {
        this.approvals = approvals;
        this.audit = audit;
        this.configurations = configurations;
        this.routings = routings;
        this.definitions = definitions;
        this.campaigns = campaigns;
    }

    public Configuration create(ConfigurationDraft request, Actor actor) {
        if (configurations.findByName(request.name()).isPresent()) {
            throw DomainException.conflict(
                    "name", "unique", "a configuration named '" + request.name() + "' already exists");
        }
        checkFormat(request.format());
        Costs.checkPricing(request.pricing());
        String folder = folderTemplate(request);
        requireActiveRouting(request.routingId());
        DirectMailConfigurationEntity entity = new DirectMailConfigurationEntity();
        price(entity, request.pricing());
        entity.id = UUID.randomUUID();
        entity.name = request.name();
        entity.routingId = request.routingId();
        entity.format = request.format() == null ? null : definitions.write(request.format());
        entity.timestampFileNames = Boolean.TRUE.equals(request.timestampFileNames());
        entity.folderTemplate = folder;
        entity.status = ACTIVE;
        entity.approvalRequired = Boolean.TRUE.equals(request.approvalRequired());
        entity.updatedBy = actor.subject();
        entity.updatedByName = actor.name();
        entity.createdAt = Instant.now();
        entity.updatedAt = entity.createdAt;
        configurations.persist(entity);
        audit.record(
                actor,
                "configuration.create",
                AuditTrail.ref("configuration", entity.id),
                AuditTrail.details(
                        "status",
                        entity.status,
                        "routingId",
                        entity.routingId,
                        "approvalRequired",
                        entity.approvalRequired));
        return view(entity);
    }

    /**
     * Replaces name, routing and format defaults. Runs already requested keep their snapshot. A change to what the
     * file is or where it goes withdraws the approval of every campaign that relied on the configuration.
     */
    public Configuration update(UUID id, ConfigurationDraft request, Actor actor) {
        DirectMailConfigurationEntity entity = find(id);
        if (ARCHIVED.equals(entity.status)) {
            throw DomainException.conflict("status", "not-archived", "configuration " + id + " is archived");
        }
        configurations
                .findByName(request.name())
                .filter(other -> !other.id.equals(id))
                .ifPresent(other -> {
                    throw DomainException.conflict(
                            "name", "unique", "a configuration named '" + request.name() + "' already exists");
                });
        checkFormat(request.format());
        Costs.checkPricing(request.pricing());
        checkCampaignsUnder(id, request.format());
        checkBudgetsUnder(id, request.pricing());
        String folder = folderTemplate(request);
        requireActiveRouting(request.routingId());
        String format = request.format() == null ? null : definitions.write(request.format());
        // What changed, by field name (the audit says which, not the values: formats and templates are long).
        List<String> changed = new ArrayList<>();
        if (!entity.name.equals(request.name())) {
            changed.add("name");
        }
        if (!entity.routingId.equals(request.routingId())) {
            changed.add("routingId");
        }
        if (!Objects.equals(entity.format, format)) {
            changed.add("format");
        }
        if (entity.timestampFileNames != Boolean.TRUE.equals(request.timestampFileNames())) {
            changed.add("timestampFileNames");
        }
        if (!Objects.equals(entity.folderTemplate, folder)) {
            changed.add("folderTemplate");
        }
        if (entity.approvalRequired != Boolean.TRUE.equals(request.approvalRequired())) {
            changed.add("approvalRequired");
        }
        if (!Objects.equals(pricing(entity), stored(request.pricing()))) {
            changed.add("pricing");
        }
        UUID routingBefore = entity.routingId;
        boolean material = !entity.routingId.equals(request.routingId())
                || !Objects.equals(entity.format, format)
                || entity.timestampFileNames != Boolean.TRUE.equals(request.timestampFileNames())
                || !Objects.equals(entity.folderTemplate, folder);
        entity.name = request.name();
        entity.routingId = request.routingId();
        entity.format = format;
        entity.timestampFileNames = Boolean.TRUE.equals(request.timestampFileNames());
        entity.folderTemplate = folder;
        entity.approvalRequired = Boolean.TRUE.equals(request.approvalRequired());
        // A price is not what an approver approved (the file and where it goes): it changes no approval. Runs keep
        // the prices they were requested with.
        price(entity, request.pricing());
        entity.updatedBy = actor.subject();
        entity.updatedByName = actor.name();
        entity.updatedAt = Instant.now();
        int withdrawn = 0;
        if (material) {
            withdrawn =
                    approvals.withdraw(entity, "configuration " + entity.id + " changed after approval", actor, null);
        }
        audit.record(
                actor,
                "configuration.update",
                AuditTrail.ref("configuration", id),
                AuditTrail.details(
                        "changed",
                        changed,
                        "routingId",
                        routingBefore.equals(entity.routingId)
                                ? null
                                : Map.of("from", routingBefore.toString(), "to", entity.routingId.toString()),
                        "approvalsWithdrawn",
                        withdrawn));
        return view(entity);
    }

    /** The format defaults must be able to produce a readable file on their own (FileFormatRules). */
    private static void checkFormat(FileModel.Format format) {
        List<DomainException.Violation> broken = FormatChecks.configuration(format);
        if (!broken.isEmpty()) {
            throw FormatChecks.refusal(broken);
        }
    }

    /**
     * New defaults apply to the next run of every campaign that uses the configuration: each campaign that can
     * still run must still produce a readable file with them (its own overrides, notes and labels included).
     */
    private void checkCampaignsUnder(UUID configurationId, FileModel.Format format) {
        List<CampaignEntity> live = campaigns.list(
                "configurationId = ?1 and status not in ?2",
                configurationId,
                Arrays.stream(CampaignStatus.values())
                        .filter(CampaignStatus::isFinal)
                        .map(Enum::name)
                        .toList());
        for (CampaignEntity campaign : live) {
            List<DomainException.Violation> broken = FormatChecks.underCampaign(
                    format, definitions.stored(campaign).file(), "'" + campaign.name + "' (" + campaign.id + ")");
            if (!broken.isEmpty()) {
                throw FormatChecks.refusal(broken);
            }
        }
    }

    /**
     * A campaign's budget is compared with its configuration's prices: a campaign that can still run and has a budget
     * keeps needing pricing in the budget's currency.
     */
    private void checkBudgetsUnder(UUID configurationId, Pricing pricing) {
        List<CampaignEntity> budgeted = campaigns.list(
                "configurationId = ?1 and budgetCurrency is not null and status not in ?2",
                configurationId,
                Arrays.stream(CampaignStatus.values())
                        .filter(CampaignStatus::isFinal)
                        .map(Enum::name)
                        .toList());
        for (CampaignEntity campaign : budgeted) {
            if (pricing == null || !campaign.budgetCurrency.equals(pricing.currency())) {
                throw DomainException.invalid(
                        pricing == null ? "pricing" : "pricing.currency",
                        "budget-currency",
                        "campaign '" + campaign.name + "' (" + campaign.id + ") has a budget in "
                                + campaign.budgetCurrency + "; the configuration must keep pricing in that currency");
            }
        }
    }

    private static void price(DirectMailConfigurationEntity entity, Pricing pricing) {
        entity.pricePerPiece = pricing == null ? null : Costs.stored(pricing.perPiece());
        entity.pricePerFile = pricing == null ? null : Costs.stored(pricing.perFile());
        entity.priceCurrency = pricing == null ? null : pricing.currency();
    }

    private static Pricing stored(Pricing pricing) {
        return pricing == null
                ? null
                : new Pricing(Costs.stored(pricing.perPiece()), Costs.stored(pricing.perFile()), pricing.currency());
    }

    /** The configuration's prices as stored, exactly; null when it has none. */
    public static Pricing pricing(DirectMailConfigurationEntity e) {
        return e.priceCurrency == null ? null : new Pricing(e.pricePerPiece, e.pricePerFile, e.priceCurrency);
    }

    /** The request's folder template, checked; null when there is none (the routing's base folder). */
    private static String folderTemplate(ConfigurationDraft request) {
        if (request.folderTemplate() == null || request.folderTemplate().isBlank()) {
            return null;
        }
        FileNames.validateFolder("folderTemplate", request.folderTemplate());
        return request.folderTemplate();
    }

    public Configuration get(UUID id) {
        return view(find(id));
    }

    public Listing<Configuration> list(int page, int size) {
        var query = configurations.findAll(Sort.ascending("name")).page(Page.of(page, size));
        return new Listing<>(query.list().stream().map(this::view).toList(), page, size, query.count());
    }

    public Configuration archive(UUID id, Actor actor) {
        DirectMailConfigurationEntity entity = find(id);
        String from = entity.status;
        entity.status = ARCHIVED;
        entity.updatedBy = actor.subject();
        entity.updatedByName = actor.name();
        entity.updatedAt = Instant.now();
        audit.record(
                actor,
                "configuration.archive",
                AuditTrail.ref("configuration", id),
                CampaignService.transition(from, entity.status));
        return view(entity);
    }

    public DirectMailConfigurationEntity find(UUID id) {
        return configurations
                .findByIdOptional(id)
                .orElseThrow(() -> DomainException.notFound("direct-mail configuration", id));
    }

    /** A configuration referenced from another resource: unknown is a 422 on that field, not a 404. */
    public DirectMailConfigurationEntity find(UUID id, String field) {
        return configurations
                .findByIdOptional(id)
                .orElseThrow(() -> DomainException.invalid(
                        field, "exists", "direct-mail configuration " + id + " does not exist"));
    }

    /** The routing must exist on the delivery-service and be ACTIVE. */
    public void requireActiveRouting(UUID routingId) {
        String status = routings.status(routingId)
                .orElseThrow(() -> DomainException.invalid(
                        "routingId",
                        "exists",
                        "file routing " + routingId + " does not exist on the delivery-service"));
        if (!ACTIVE.equals(status)) {
            throw DomainException.invalid(
                    "routingId",
                    "active",
                    "file routing " + routingId + " is " + status + "; only an ACTIVE routing can be used");
        }
    }

    public Configuration view(DirectMailConfigurationEntity e) {
        return new Configuration(
                e.id,
                e.name,
                e.routingId,
                e.status,
                definitions.read(e.format, FileModel.Format.class),
                e.timestampFileNames,
                e.folderTemplate,
                e.approvalRequired,
                pricing(e),
                Actors.of(e.updatedBy, e.updatedByName),
                e.createdAt,
                e.updatedAt);
    }
}
