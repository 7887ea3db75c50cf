package io.mailshot.campaign.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.campaign.client.AudienceClient;
import io.mailshot.campaign.persistence.CampaignEntity;
import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.campaign.rest.ApiModels.CampaignRequest;
import io.mailshot.campaign.rest.ApiModels.CampaignType;
import io.mailshot.campaign.rest.ApiModels.CampaignView;
import io.mailshot.campaign.rest.ApiModels.ColumnView;
import io.mailshot.campaign.rest.ApiModels.FileView;
import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.events.FileColumn;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.kit.persistence.Outbox;
import io.mailshot.kit.rest.ApiException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Scheduled direct-mail campaigns and their activation into runs. */
@ApplicationScoped
@Transactional
public class CampaignService {

    static final String DRAFT = "DRAFT";
    static final String ACTIVE = "ACTIVE";

    private final CampaignRepository campaigns;
    private final RunRepository runs;
    private final ConfigurationService configurations;
    private final AudienceClient audiences;
    private final Outbox outbox;
    private final RunViews runViews;
    private final ObjectMapper json;

    public CampaignService(CampaignRepository campaigns, RunRepository runs, ConfigurationService configurations,
            AudienceClient audiences, Outbox outbox, RunViews runViews, ObjectMapper json) {
        this.campaigns = campaigns;
        this.runs = runs;
        this.configurations = configurations;
        this.audiences = audiences;
        this.outbox = outbox;
        this.runViews = runViews;
        this.json = json;
    }

    public CampaignView create(CampaignRequest request) {
        if (request.type() != CampaignType.SCHEDULED) {
            throw ApiException.invalid("type", "scheduled-only", "direct mail is available to SCHEDULED campaigns only;"
                    + " a " + request.type() + " campaign cannot use the direct-mail channel");
        }
        String template = request.file().nameTemplate() == null || request.file().nameTemplate().isBlank()
                ? FileNames.DEFAULT_TEMPLATE
                : request.file().nameTemplate();
        FileNames.validate("file.nameTemplate", template);
        DirectMailConfigurationEntity configuration = configurations.find(request.configurationId(),
                "configurationId");
        if (!ConfigurationService.ACTIVE.equals(configuration.status)) {
            throw ApiException.invalid("configurationId", "active", "configuration " + configuration.id + " is "
                    + configuration.status);
        }
        requireAudience(request.audienceId());

        CampaignEntity entity = new CampaignEntity();
        entity.id = UUID.randomUUID();
        entity.name = request.name();
        entity.description = request.description();
        entity.type = request.type().name();
        entity.status = DRAFT;
        entity.audienceId = request.audienceId();
        entity.identityNamespace = request.identityNamespace();
        entity.configurationId = configuration.id;
        entity.fileNameTemplate = template;
        entity.columns = write(request.file().columns().stream().map(c -> new FileColumn(c.label(), c.path()))
                .toList());
        entity.createdAt = Instant.now();
        entity.updatedAt = entity.createdAt;
        campaigns.persist(entity);
        return view(entity);
    }

    public CampaignView get(UUID id) {
        return view(find(id));
    }

    public PageView<CampaignView> list(int page, int size) {
        var query = campaigns.findAll(Sort.descending("createdAt")).page(Page.of(page, size));
        return new PageView<>(query.list().stream().map(this::view).toList(), page, size, query.count());
    }

    /**
     * Creates a run with a snapshot of the campaign's definition, and its {@code RunRequested} in the same
     * transaction. References are checked again: a routing or audience may have gone since creation.
     */
    public RunView activate(UUID campaignId) {
        CampaignEntity campaign = campaigns.findByIdOptional(campaignId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ApiException.notFound("campaign", campaignId));
        if (!CampaignType.SCHEDULED.name().equals(campaign.type)) {
            throw ApiException.invalid("type", "scheduled-only", "only SCHEDULED campaigns can run direct mail");
        }
        boolean running = runs.find("campaignId = ?1 and status not in ('DELIVERED', 'FAILED')", campaignId)
                .count() > 0;
        if (running) {
            throw ApiException.conflict("status", "no-run-in-progress",
                    "campaign " + campaignId + " already has a run in progress");
        }
        DirectMailConfigurationEntity configuration = configurations.find(campaign.configurationId,
                "configurationId");
        configurations.requireActiveRouting(configuration.routingId);
        requireAudience(campaign.audienceId);

        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.campaignId = campaign.id;
        run.status = RunStatus.REQUESTED.name();
        run.requestedAt = Instant.now();
        run.updatedAt = run.requestedAt;
        run.routingId = configuration.routingId;
        run.fileName = FileNames.render(campaign.fileNameTemplate, campaign.name, campaign.id, run.id,
                run.requestedAt);
        RunSpec spec = new RunSpec(run.fileName, columns(campaign), configuration.routingId,
                campaign.identityNamespace);
        run.spec = write(spec);
        runs.persist(run);
        campaign.status = ACTIVE;
        campaign.updatedAt = run.requestedAt;
        outbox.append(Topics.RUNS, run.id.toString(), new RunRequested(run.id, campaign.id, campaign.name,
                campaign.audienceId, spec, run.requestedAt));
        return runViews.view(run);
    }

    public PageView<RunView> runs(UUID campaignId, int page, int size) {
        find(campaignId);
        long total = runs.count("campaignId", campaignId);
        return new PageView<>(runs.forCampaign(campaignId, page, size).stream().map(runViews::view).toList(), page,
                size, total);
    }

    private void requireAudience(UUID audienceId) {
        if (!audiences.exists(audienceId)) {
            throw ApiException.invalid("audienceId", "exists",
                    "audience " + audienceId + " does not exist on the audience-service");
        }
    }

    private CampaignEntity find(UUID id) {
        return campaigns.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("campaign", id));
    }

    private List<FileColumn> columns(CampaignEntity campaign) {
        try {
            return json.readValue(campaign.columns, new TypeReference<List<FileColumn>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored columns of campaign " + campaign.id + " are unreadable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CampaignView view(CampaignEntity e) {
        List<ColumnView> columns = columns(e).stream().map(c -> new ColumnView(c.label(), c.path())).toList();
        return new CampaignView(e.id, e.name, e.description, CampaignType.valueOf(e.type), e.status, e.audienceId,
                e.identityNamespace, e.configurationId, new FileView(e.fileNameTemplate, columns), e.createdAt,
                e.updatedAt);
    }
}
