package io.mailshot.campaign.service.campaign;

import io.mailshot.campaign.client.AudienceClient;
import io.mailshot.campaign.client.ExtractionClient;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.persistence.PressureRuleRepository;
import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.campaign.persistence.ScheduleEntity;
import io.mailshot.campaign.persistence.ScheduleRepository;
import io.mailshot.campaign.service.Actors;
import io.mailshot.campaign.service.Listing;
import io.mailshot.campaign.service.campaign.CampaignDraft.CampaignType;
import io.mailshot.campaign.service.configuration.ConfigurationService;
import io.mailshot.campaign.service.cost.Costs;
import io.mailshot.campaign.service.cost.Money;
import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.campaign.service.file.FileContract;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.campaign.service.file.FileNames;
import io.mailshot.campaign.service.file.FormatChecks;
import io.mailshot.campaign.service.run.Run;
import io.mailshot.campaign.service.run.RunStatus;
import io.mailshot.campaign.service.run.RunViews;
import io.mailshot.campaign.service.schedule.Schedule;
import io.mailshot.campaign.service.schedule.ScheduleCalculator;
import io.mailshot.campaign.service.schedule.Schedules;
import io.mailshot.events.Actor;
import io.mailshot.events.FileColumn;
import io.mailshot.events.PressureRule;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SeedRecord;
import io.mailshot.events.SortKey;
import io.mailshot.events.Topics;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.persistence.Outbox;
import io.mailshot.kit.security.AccessRefusedException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Scheduled direct-mail campaigns: definition, approval, activation into runs, and scheduling. */
@ApplicationScoped
@Transactional
public class CampaignService {

    private static final Logger LOG = Logger.getLogger(CampaignService.class);

    private final CampaignRepository campaigns;
    private final RunRepository runs;
    private final ScheduleRepository schedules;
    private final ConfigurationService configurations;
    private final AudienceClient audiences;
    private final ExtractionClient extraction;
    private final Outbox outbox;
    private final RunViews runViews;
    private final Approvals approvals;
    private final Definitions definitions;
    private final AuditTrail audit;
    private final PressureRuleRepository pressureRules;

    public CampaignService(
            CampaignRepository campaigns,
            RunRepository runs,
            ScheduleRepository schedules,
            ConfigurationService configurations,
            AudienceClient audiences,
            ExtractionClient extraction,
            Outbox outbox,
            RunViews runViews,
            Definitions definitions,
            Approvals approvals,
            AuditTrail audit,
            PressureRuleRepository pressureRules) {
        this.pressureRules = pressureRules;
        this.approvals = approvals;
        this.audit = audit;
        this.campaigns = campaigns;
        this.runs = runs;
        this.schedules = schedules;
        this.configurations = configurations;
        this.audiences = audiences;
        this.extraction = extraction;
        this.outbox = outbox;
        this.runViews = runViews;
        this.definitions = definitions;
    }

    /** The outcome of an activation: a run started now, or the campaign scheduled for later. */
    public record Activation(Run run, Campaign campaign) {}

    public Campaign create(CampaignDraft request, Actor actor) {
        if (request.type() != CampaignType.SCHEDULED) {
            throw DomainException.invalid(
                    "type",
                    "scheduled-only",
                    "direct mail is available to SCHEDULED campaigns only;" + " a " + request.type()
                            + " campaign cannot use the direct-mail channel");
        }
        checkFile(request.file());
        String template = request.file().nameTemplate() == null
                        || request.file().nameTemplate().isBlank()
                ? FileNames.DEFAULT_TEMPLATE
                : request.file().nameTemplate();
        FileNames.validate("file.nameTemplate", template);
        if (request.file().folderTemplate() != null
                && !request.file().folderTemplate().isBlank()) {
            FileNames.validateFolder("file.folderTemplate", request.file().folderTemplate());
        }
        if (request.schedule() != null) {
            Schedules.rule(request.schedule());
        }
        DirectMailConfigurationEntity configuration = configurations.find(request.configurationId(), "configurationId");
        if (!ConfigurationService.ACTIVE.equals(configuration.status)) {
            throw DomainException.invalid(
                    "configurationId", "active", "configuration " + configuration.id + " is " + configuration.status);
        }
        requireAudience(request.audienceId());
        Costs.checkBudget(request.budget(), ConfigurationService.pricing(configuration));
        // The file as its runs would write it, with the configuration's defaults: refused now, not at run time.
        List<DomainException.Violation> format =
                FormatChecks.campaign(definitions.read(configuration.format, FileModel.Format.class), request.file());
        if (!format.isEmpty()) {
            throw FormatChecks.refusal(format);
        }

        CampaignEntity entity = new CampaignEntity();
        entity.id = UUID.randomUUID();
        entity.name = request.name();
        entity.description = request.description();
        entity.type = request.type().name();
        entity.status = CampaignStatus.DRAFT.name();
        entity.audienceId = request.audienceId();
        entity.identityNamespace = request.identityNamespace();
        entity.configurationId = configuration.id;
        entity.fileNameTemplate = template;
        entity.columns = definitions.write(
                request.file().columns().stream().map(FileContract::column).toList());
        entity.definition = definitions.write(new Definitions.Stored(
                request.file(),
                request.holdoutPercent(),
                request.dedup(),
                request.suppressionListIds(),
                request.constants()));
        entity.createdBy = actor.subject();
        entity.createdByName = actor.name();
        entity.editedBy = actor.subject();
        entity.editedByName = actor.name();
        entity.createdAt = Instant.now();
        entity.updatedAt = entity.createdAt;
        entity.budgetAmount =
                request.budget() == null ? null : Costs.stored(request.budget().amount());
        entity.budgetCurrency =
                request.budget() == null ? null : request.budget().currency();
        campaigns.persist(entity);
        if (request.schedule() != null) {
            schedules.persist(Schedules.entity(entity.id, request.schedule()));
        }
        audit.record(
                actor,
                "campaign.create",
                AuditTrail.ref("campaign", entity.id),
                AuditTrail.details(
                        "status",
                        entity.status,
                        "configurationId",
                        entity.configurationId,
                        "audienceId",
                        entity.audienceId,
                        "scheduled",
                        request.schedule() != null));
        return view(entity);
    }

    /**
     * Rules that span fields: one source per column, sort keys, the split column and seeds that name real columns.
     */
    private static void checkFile(FileModel.Definition file) {
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < file.columns().size(); i++) {
            FileModel.Column column = file.columns().get(i);
            boolean hasPath = column.path() != null && !column.path().isBlank();
            boolean hasExpression =
                    column.expression() != null && !column.expression().isBlank();
            if (hasPath == hasExpression) {
                throw DomainException.invalid(
                        "file.columns[" + i + "]",
                        "path-or-expression",
                        "a column reads exactly one of path or expression");
            }
            if (!labels.add(column.label())) {
                throw DomainException.invalid(
                        "file.columns[" + i + "].label",
                        "unique",
                        "column label '" + column.label() + "' is used twice");
            }
            boolean fixed = file.format() != null
                    && file.format().type() != null
                    && file.format().type().name().equals("FIXED_WIDTH");
            if (fixed && column.width() == null) {
                throw DomainException.invalid(
                        "file.columns[" + i + "].width",
                        "required",
                        "a FIXED_WIDTH file needs a width on every column");
            }
        }
        if (file.sort() != null) {
            for (int i = 0; i < file.sort().size(); i++) {
                if (!labels.contains(file.sort().get(i).column())) {
                    throw DomainException.invalid(
                            "file.sort[" + i + "].column",
                            "column-label",
                            "sort column '" + file.sort().get(i).column() + "' is not one of the file's column labels");
                }
            }
        }
        if (file.splitBy() != null && !labels.contains(file.splitBy())) {
            throw DomainException.invalid(
                    "file.splitBy",
                    "column-label",
                    "split column '" + file.splitBy() + "' is not one of the file's column labels");
        }
        if (file.splitBy() == null
                && file.nameTemplate() != null
                && file.nameTemplate().contains("{split}")) {
            throw DomainException.invalid(
                    "file.nameTemplate", "split-token", "{split} names a file set: it needs file.splitBy");
        }
        if (file.seeds() != null) {
            for (int i = 0; i < file.seeds().size(); i++) {
                for (String label : file.seeds().get(i).values().keySet()) {
                    if (!labels.contains(label)) {
                        throw DomainException.invalid(
                                "file.seeds[" + i + "].values",
                                "column-label",
                                "seed value for '" + label + "' does not match a column label");
                    }
                }
            }
        }
    }

    public Campaign get(UUID id) {
        return view(find(id));
    }

    public Listing<Campaign> list(int page, int size) {
        var query = campaigns.findAll(Sort.descending("createdAt")).page(Page.of(page, size));
        return new Listing<>(query.list().stream().map(this::view).toList(), page, size, query.count());
    }

    /** DRAFT → PENDING_APPROVAL: who submits it can no longer approve it. */
    public Campaign submit(UUID id, Actor actor) {
        CampaignEntity campaign = lock(id);
        requireStatus(campaign, CampaignStatus.DRAFT);
        campaign.status = CampaignStatus.PENDING_APPROVAL.name();
        campaign.submittedBy = actor.subject();
        campaign.submittedByName = actor.name();
        campaign.submittedAt = Instant.now();
        campaign.approvedBy = null;
        campaign.approvedByName = null;
        campaign.approvedAt = null;
        campaign.rejectedBy = null;
        campaign.rejectedByName = null;
        campaign.approvalWithdrawn = null;
        campaign.updatedAt = Instant.now();
        audit.record(
                actor,
                "campaign.submit",
                AuditTrail.ref("campaign", id),
                transition(CampaignStatus.DRAFT.name(), campaign.status));
        return view(campaign);
    }

    /** PENDING_APPROVAL → APPROVED, by someone who did not create, edit or submit it (four eyes). */
    public Campaign approve(UUID id, Actor actor) {
        CampaignEntity campaign = review(id, actor);
        campaign.status = CampaignStatus.APPROVED.name();
        campaign.approvedBy = actor.subject();
        campaign.approvedByName = actor.name();
        campaign.approvedAt = Instant.now();
        audit.record(
                actor,
                "campaign.approve",
                AuditTrail.ref("campaign", id),
                transition(CampaignStatus.PENDING_APPROVAL.name(), campaign.status));
        return view(campaign);
    }

    /** PENDING_APPROVAL → DRAFT, so the author can change it and submit again. */
    public Campaign reject(UUID id, Actor actor) {
        CampaignEntity campaign = review(id, actor);
        campaign.status = CampaignStatus.DRAFT.name();
        campaign.rejectedBy = actor.subject();
        campaign.rejectedByName = actor.name();
        audit.record(
                actor,
                "campaign.reject",
                AuditTrail.ref("campaign", id),
                transition(CampaignStatus.PENDING_APPROVAL.name(), campaign.status));
        return view(campaign);
    }

    /**
     * The four-eyes rule, by token subject: the subject is the provider's stable identifier of the person, so no
     * header, display name or spelling can make the author someone else.
     */
    private CampaignEntity review(UUID id, Actor actor) {
        CampaignEntity campaign = lock(id);
        requireStatus(campaign, CampaignStatus.PENDING_APPROVAL);
        String role = actor.subject().equals(campaign.createdBy)
                ? "created"
                : actor.subject().equals(campaign.editedBy)
                        ? "last edited"
                        : actor.subject().equals(campaign.submittedBy) ? "submitted" : null;
        if (role != null) {
            throw new AccessRefusedException(
                    "four-eyes", "you " + role + " campaign " + id + ": someone else must approve or reject it");
        }
        campaign.updatedAt = Instant.now();
        return campaign;
    }

    /** Stops a campaign: no further scheduled runs. Runs already under way finish. */
    public Campaign stop(UUID id, Actor actor) {
        CampaignEntity campaign = lock(id);
        String from = campaign.status;
        halt(campaign);
        audit.record(actor, "campaign.stop", AuditTrail.ref("campaign", id), transition(from, campaign.status));
        return view(campaign);
    }

    public Campaign archive(UUID id, Actor actor) {
        CampaignEntity campaign = lock(id);
        String from = campaign.status;
        halt(campaign);
        campaign.status = CampaignStatus.ARCHIVED.name();
        audit.record(actor, "campaign.archive", AuditTrail.ref("campaign", id), transition(from, campaign.status));
        return view(campaign);
    }

    private void halt(CampaignEntity campaign) {
        campaign.status = CampaignStatus.STOPPED.name();
        campaign.updatedAt = Instant.now();
        schedules.findByIdOptional(campaign.id).ifPresent(s -> s.nextFireAt = null);
    }

    /**
     * Exempts the campaign from mail-pressure rules, or ends its exemption: its next runs snapshot no rules (runs
     * already requested keep theirs). Who may do it is checked by the caller (a role of the installation's choice).
     */
    public Campaign exemptFromPressure(UUID id, boolean exempt, String reason, Actor actor) {
        CampaignEntity campaign = lock(id);
        if (CampaignStatus.ARCHIVED.name().equals(campaign.status)) {
            throw DomainException.conflict("status", "not-archived", "campaign " + id + " is archived");
        }
        if (exempt && (reason == null || reason.isBlank())) {
            throw DomainException.invalid(
                    "reason", "required", "say why the campaign may mail people the pressure rules would stop");
        }
        boolean before = campaign.pressureExempt;
        campaign.pressureExempt = exempt;
        campaign.pressureExemptReason = reason == null || reason.isBlank() ? null : reason;
        campaign.pressureExemptBy = actor.subject();
        campaign.pressureExemptByName = actor.name();
        campaign.pressureExemptAt = Instant.now();
        campaign.updatedAt = campaign.pressureExemptAt;
        audit.record(
                actor,
                "campaign.pressure-exemption",
                AuditTrail.ref("campaign", id),
                AuditTrail.details("from", before, "to", exempt, "reason", campaign.pressureExemptReason));
        return view(campaign);
    }

    /**
     * The mail-pressure rules a run of this campaign applies now: the global rules and its configuration's, oldest
     * first; none when the campaign is exempted.
     */
    public List<PressureRule> pressureRules(CampaignEntity campaign) {
        if (campaign.pressureExempt) {
            return List.of();
        }
        return pressureRules.applyingTo(campaign.configurationId).stream()
                .map(r -> new PressureRule(r.id, r.name, r.scope, r.maxContacts, r.days))
                .toList();
    }

    /** The budget cap of one run; null when the campaign has none. */
    public static Money budget(CampaignEntity campaign) {
        return campaign.budgetCurrency == null ? null : new Money(campaign.budgetAmount, campaign.budgetCurrency);
    }

    /** The details of a status change. */
    public static Map<String, Object> transition(String from, String to) {
        return AuditTrail.details("from", from, "to", to);
    }

    /**
     * Activates the campaign. Without a schedule (or with a ONCE schedule and no date) a run starts now;
     * with one, the campaign is SCHEDULED and the scheduler fires each occurrence once.
     */
    public Activation activate(UUID campaignId, Actor actor) {
        CampaignEntity campaign = lock(campaignId);
        if (!CampaignType.SCHEDULED.name().equals(campaign.type)) {
            throw DomainException.invalid("type", "scheduled-only", "only SCHEDULED campaigns can run direct mail");
        }
        CampaignStatus status = CampaignStatus.valueOf(campaign.status);
        if (status == CampaignStatus.ARCHIVED || status == CampaignStatus.STOPPED) {
            throw DomainException.conflict("status", "activatable", "campaign " + campaignId + " is " + status);
        }
        if (approvals.required(campaign)
                && status != CampaignStatus.APPROVED
                && status != CampaignStatus.ACTIVE
                && status != CampaignStatus.SCHEDULED) {
            throw DomainException.conflict(
                    "status",
                    "approval-required",
                    "campaign " + campaignId
                            + " requires approval by someone who did not create, edit or submit it before activation"
                            + (campaign.approvalWithdrawn == null ? "" : " (" + campaign.approvalWithdrawn + ")"));
        }
        campaign.activatedBy = actor.subject();
        campaign.activatedByName = actor.name();
        String from = campaign.status;
        ScheduleEntity schedule = schedules.findByIdOptional(campaignId).orElse(null);
        if (schedule != null && !(schedule.kind.equals("ONCE") && schedule.fireAt == null)) {
            schedule.nextFireAt = ScheduleCalculator.nextAfter(Schedules.rule(schedule), Instant.now())
                    .orElseThrow(() -> DomainException.conflict(
                            "schedule", "future-occurrence", "the schedule has no occurrence left"));
            campaign.status = CampaignStatus.SCHEDULED.name();
            campaign.updatedAt = Instant.now();
            // The same checks as a run, so a scheduled campaign cannot fail later for a reason known now.
            preflight(campaign);
            audit.record(
                    actor,
                    "campaign.activate",
                    AuditTrail.ref("campaign", campaignId),
                    AuditTrail.details("from", from, "to", campaign.status, "nextRunAt", schedule.nextFireAt));
            return new Activation(null, view(campaign));
        }
        boolean running =
                runs.find("campaignId = ?1 and status not in ('DELIVERED', 'FAILED', 'CANCELLED')", campaignId)
                                .count()
                        > 0;
        if (running) {
            throw DomainException.conflict(
                    "status", "no-run-in-progress", "campaign " + campaignId + " already has a run in progress");
        }
        preflight(campaign);
        RunEntity run = startRun(campaign, Instant.now(), actor, "activation");
        audit.record(
                actor,
                "campaign.activate",
                AuditTrail.ref("campaign", campaignId),
                AuditTrail.details("from", from, "to", campaign.status, "runId", run.id));
        return new Activation(runViews.view(run), view(campaign));
    }

    private void preflight(CampaignEntity campaign) {
        DirectMailConfigurationEntity configuration = configurations.find(campaign.configurationId, "configurationId");
        configurations.requireActiveRouting(configuration.routingId);
        requireAudience(campaign.audienceId);
        fields(campaign, true);
    }

    /**
     * Creates a run with a snapshot of the campaign's definition and its {@code RunRequested}, in one
     * transaction, audited as {@code run.start} within the campaign. Used by activation and by the scheduler
     * ({@code trigger} says which).
     */
    public RunEntity startRun(CampaignEntity campaign, Instant at, Actor actor, String trigger) {
        DirectMailConfigurationEntity configuration = configurations.find(campaign.configurationId, "configurationId");
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.campaignId = campaign.id;
        run.status = RunStatus.REQUESTED.name();
        run.requestedAt = at;
        run.updatedAt = at;
        run.routingId = configuration.routingId;
        run.requestedBy = actor.subject();
        run.requestedByName = actor.name();
        // The prices of now: a later price change must not rewrite what this run cost.
        Pricing pricing = ConfigurationService.pricing(configuration);
        run.pricePerPiece = pricing == null ? null : pricing.perPiece();
        run.pricePerFile = pricing == null ? null : pricing.perFile();
        run.priceCurrency = pricing == null ? null : pricing.currency();
        RunSpec spec = spec(campaign, run.id, at);
        run.fileName = spec.fileName();
        run.spec = definitions.write(spec);
        runs.persist(run);
        if (!CampaignStatus.valueOf(campaign.status).isFinal()) {
            campaign.status = CampaignStatus.ACTIVE.name();
        }
        campaign.updatedAt = at;
        outbox.append(
                Topics.RUNS,
                run.id.toString(),
                new RunRequested(run.id, campaign.id, campaign.name, campaign.audienceId, spec, at, actor));
        audit.record(
                actor,
                "run.start",
                AuditTrail.ref("run", run.id),
                AuditTrail.ref("campaign", campaign.id),
                AuditTrail.details("trigger", trigger, "status", run.status, "routingId", run.routingId));
        LOG.infof("run %s of campaign %s requested", run.id, campaign.id);
        return run;
    }

    /** The snapshot a run of this campaign would execute now: used by runs and by simulation alike. */
    RunSpec spec(CampaignEntity campaign, UUID runId, Instant at) {
        DirectMailConfigurationEntity configuration = configurations.find(campaign.configurationId, "configurationId");
        Definitions.Stored stored = stored(campaign);
        FileModel.Definition file = stored.file();
        FileModel.Format defaults = definitions.read(configuration.format, FileModel.Format.class);
        String template = campaign.fileNameTemplate;
        boolean recurring = schedules
                .findByIdOptional(campaign.id)
                .map(s -> !s.kind.equals("ONCE"))
                .orElse(false);
        if ((configuration.timestampFileNames || recurring) && !FileNames.hasDate(template)) {
            // Each recurring run produces its own timestamped files, never overwriting the last one.
            template = FileNames.withTimestamp(template);
        }
        String fileName = FileNames.render(template, campaign.name, campaign.id, runId, at);
        String folder = folder(campaign, configuration, runId, at);
        List<FileColumn> columns =
                file.columns().stream().map(FileContract::column).toList();
        List<SortKey> sort = file.sort() == null
                ? null
                : file.sort().stream()
                        .map(s -> new SortKey(
                                s.column(),
                                s.direction() == null ? "ASC" : s.direction().name()))
                        .toList();
        List<SeedRecord> seeds = file.seeds() == null
                ? null
                : file.seeds().stream().map(s -> new SeedRecord(s.values())).toList();
        List<PressureRule> pressure = pressureRules(campaign);
        return new RunSpec(
                fileName,
                columns,
                configuration.routingId,
                campaign.identityNamespace,
                FileContract.format(defaults, file.format(), file.headerNotes(), file.footerNotes()),
                sort,
                file.splitEvery(),
                seeds,
                file.seedPlacement() == null ? null : file.seedPlacement().name(),
                fields(campaign, false),
                stored.constants(),
                stored.holdoutPercent(),
                stored.dedup() == null ? null : stored.dedup().name(),
                stored.suppressionListIds(),
                folder,
                pressure.isEmpty() ? null : pressure,
                file.splitBy(),
                file.splitMaxBytes());
    }

    /**
     * The run's folder under the routing's base folder: the campaign's folder template, else its
     * configuration's, rendered for this run; null when neither has one. A template that cannot render a
     * safe folder is a 422 naming it (validation reports the same as an error).
     */
    String folder(CampaignEntity campaign, DirectMailConfigurationEntity configuration, UUID runId, Instant at) {
        String own = stored(campaign).file().folderTemplate();
        boolean campaignHasOne = own != null && !own.isBlank();
        String template = campaignHasOne ? own : configuration.folderTemplate;
        if (template == null || template.isBlank()) {
            return null;
        }
        String field = campaignHasOne ? "file.folderTemplate" : "configuration.folderTemplate";
        FileNames.validateFolder(field, template);
        String folder = FileNames.render(template, campaign.name, campaign.id, runId, at);
        FileNames.checkRenderedFolder(field, folder);
        return folder;
    }

    /**
     * Every attribute path the run reads, in column order: plain paths, and the paths of expressions as the
     * extraction-service reports them. With {@code strict}, an invalid expression is a 422.
     */
    List<String> fields(CampaignEntity campaign, boolean strict) {
        List<FileModel.Column> columns = stored(campaign).file().columns();
        List<String> expressions = columns.stream()
                .map(FileModel.Column::expression)
                .filter(e -> e != null && !e.isBlank())
                .toList();
        List<ExtractionClient.ExpressionCheck> checks =
                expressions.isEmpty() ? List.of() : extraction.check(expressions);
        Set<String> fields = new LinkedHashSet<>();
        int e = 0;
        for (int i = 0; i < columns.size(); i++) {
            FileModel.Column column = columns.get(i);
            if (column.expression() == null || column.expression().isBlank()) {
                fields.add(column.path());
                continue;
            }
            ExtractionClient.ExpressionCheck check = checks.get(e++);
            if (!check.valid() && strict) {
                throw DomainException.invalid("file.columns[" + i + "].expression", "expression", check.error());
            }
            fields.addAll(check.paths());
        }
        return new ArrayList<>(fields);
    }

    public Listing<Run> runs(UUID campaignId, int page, int size) {
        find(campaignId);
        long total = runs.count("campaignId", campaignId);
        return new Listing<>(
                runs.forCampaign(campaignId, page, size).stream()
                        .map(runViews::view)
                        .toList(),
                page,
                size,
                total);
    }

    private void requireAudience(UUID audienceId) {
        if (!audiences.exists(audienceId)) {
            throw DomainException.invalid(
                    "audienceId", "exists", "audience " + audienceId + " does not exist on the audience-service");
        }
    }

    private static void requireStatus(CampaignEntity campaign, CampaignStatus expected) {
        if (!expected.name().equals(campaign.status)) {
            throw DomainException.conflict(
                    "status",
                    "is-" + expected.name().toLowerCase().replace('_', '-'),
                    "campaign " + campaign.id + " is " + campaign.status + ", not " + expected);
        }
    }

    CampaignEntity find(UUID id) {
        return campaigns.findByIdOptional(id).orElseThrow(() -> DomainException.notFound("campaign", id));
    }

    private CampaignEntity lock(UUID id) {
        return campaigns
                .findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("campaign", id));
    }

    Definitions.Stored stored(CampaignEntity campaign) {
        return definitions.stored(campaign);
    }

    Campaign view(CampaignEntity e) {
        Definitions.Stored stored = stored(e);
        ScheduleEntity schedule = schedules.findByIdOptional(e.id).orElse(null);
        Schedule scheduleView = schedule == null ? null : Schedules.view(schedule);
        return new Campaign(
                e.id,
                e.name,
                e.description,
                CampaignType.valueOf(e.type),
                e.status,
                e.audienceId,
                e.identityNamespace,
                e.configurationId,
                stored.file(),
                stored.holdoutPercent(),
                stored.dedup(),
                stored.suppressionListIds(),
                stored.constants(),
                approvals.required(e),
                Actors.of(e.createdBy, e.createdByName),
                Actors.of(e.editedBy, e.editedByName),
                Actors.of(e.submittedBy, e.submittedByName),
                Actors.of(e.approvedBy, e.approvedByName),
                Actors.of(e.rejectedBy, e.rejectedByName),
                Actors.of(e.activatedBy, e.activatedByName),
                e.approvalWithdrawn,
                scheduleView,
                schedule == null ? null : schedule.nextFireAt,
                e.createdAt,
                e.updatedAt,
                budget(e),
                e.pressureExemptAt == null
                        ? null
                        : new Campaign.PressureExemption(
                                e.pressureExempt,
                                e.pressureExemptReason,
                                Actors.of(e.pressureExemptBy, e.pressureExemptByName),
                                e.pressureExemptAt));
    }
}
