package io.mailshot.campaign.service.run;

import io.mailshot.campaign.persistence.CampaignRepository;
import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.campaign.service.campaign.CampaignService;
import io.mailshot.campaign.service.campaign.Definitions;
import io.mailshot.events.Actor;
import io.mailshot.events.RunCancelled;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.DomainException;
import io.mailshot.kit.persistence.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** What can be done to a run after it started. */
@ApplicationScoped
@Transactional
public class RunCommands {

    private final RunRepository runs;
    private final CampaignRepository campaigns;
    private final Outbox outbox;
    private final RunViews views;
    private final Definitions definitions;
    private final AuditTrail audit;

    public RunCommands(
            RunRepository runs,
            CampaignRepository campaigns,
            Outbox outbox,
            RunViews views,
            Definitions definitions,
            AuditTrail audit) {
        this.audit = audit;
        this.runs = runs;
        this.campaigns = campaigns;
        this.outbox = outbox;
        this.views = views;
        this.definitions = definitions;
    }

    /**
     * Cancels a run that is still under way: the run is CANCELLED at once, and {@code RunCancelled} tells
     * every stage to stop and publish nothing more for it. A run already delivered cannot be unsent (409).
     */
    public Run cancel(UUID runId, Actor actor) {
        RunEntity run = runs.lock(runId).orElseThrow(() -> DomainException.notFound("run", runId));
        if (RunStatus.valueOf(run.status).isFinal()) {
            throw DomainException.conflict("status", "in-progress", "run " + runId + " is already " + run.status);
        }
        String reason = "cancelled by " + actor.name();
        String from = run.status;
        run.status = RunStatus.CANCELLED.name();
        run.error = reason;
        run.cancelledBy = actor.subject();
        run.cancelledByName = actor.name();
        run.completedAt = Instant.now();
        run.updatedAt = run.completedAt;
        outbox.append(Topics.RUN_CANCELLATIONS, runId.toString(), new RunCancelled(runId, reason, actor));
        audit.record(
                actor,
                "run.cancel",
                AuditTrail.ref("run", runId),
                AuditTrail.ref("campaign", run.campaignId),
                CampaignService.transition(from, run.status));
        return views.view(run);
    }

    /**
     * Retries a FAILED run: a new run with exactly the same snapshot (columns, format, file name, routing),
     * so a retry can never pick up edits made since.
     */
    public Run retry(UUID runId, Actor actor) {
        RunEntity failed = runs.lock(runId).orElseThrow(() -> DomainException.notFound("run", runId));
        if (!RunStatus.FAILED.name().equals(failed.status)) {
            throw DomainException.conflict(
                    "status", "failed-only", "only a FAILED run can be retried; run " + runId + " is " + failed.status);
        }
        var campaign = campaigns.findById(failed.campaignId);
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.campaignId = failed.campaignId;
        run.status = RunStatus.REQUESTED.name();
        run.requestedAt = Instant.now();
        run.updatedAt = run.requestedAt;
        run.routingId = failed.routingId;
        run.fileName = failed.fileName;
        run.spec = failed.spec;
        run.retryOf = failed.id;
        // Exactly the same snapshot, prices included.
        run.pricePerPiece = failed.pricePerPiece;
        run.pricePerFile = failed.pricePerFile;
        run.priceCurrency = failed.priceCurrency;
        run.requestedBy = actor.subject();
        run.requestedByName = actor.name();
        runs.persist(run);
        RunSpec spec = definitions.read(failed.spec, RunSpec.class);
        outbox.append(
                Topics.RUNS,
                run.id.toString(),
                new RunRequested(
                        run.id, campaign.id, campaign.name, campaign.audienceId, spec, run.requestedAt, actor));
        audit.record(
                actor,
                "run.retry",
                AuditTrail.ref("run", failed.id),
                AuditTrail.ref("campaign", campaign.id),
                AuditTrail.details("retryRunId", run.id));
        audit.record(
                actor,
                "run.start",
                AuditTrail.ref("run", run.id),
                AuditTrail.ref("campaign", campaign.id),
                AuditTrail.details(
                        "trigger", "retry", "status", run.status, "retryOf", failed.id, "routingId", run.routingId));
        return views.view(run);
    }
}
