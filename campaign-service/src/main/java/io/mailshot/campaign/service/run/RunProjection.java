package io.mailshot.campaign.service.run;

import io.mailshot.campaign.persistence.DeliveryAttemptEntity;
import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunFileEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolutionFailed;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.DeliveryAttempted;
import io.mailshot.events.DeliveryFailed;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionFailed;
import io.mailshot.events.StagedFile;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.persistence.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Projects every stage's events onto the run they describe. Idempotent on the event id; a run's status
 * only moves forward, so late or repeated events never undo progress. The stages' events come on three topics
 * and may be read in any order, so a run is DELIVERED only once its delivery and its extraction's counts are in.
 */
@ApplicationScoped
public class RunProjection {

    static final String CONSUMER = "campaign-service.run-projection";
    private static final Logger LOG = Logger.getLogger(RunProjection.class);

    private final RunRepository runs;
    private final ProcessedEvents processed;
    private final AuditTrail audit;

    public RunProjection(RunRepository runs, ProcessedEvents processed, AuditTrail audit) {
        this.audit = audit;
        this.runs = runs;
        this.processed = processed;
    }

    @Transactional
    public void apply(IncomingEvent event, UUID runId) {
        if (!processed.firstTime(CONSUMER, event.id())) {
            return;
        }
        RunEntity run = runs.lock(runId).orElse(null);
        if (run == null) {
            // Not ours (another campaign-service database) or not yet visible; nothing to project.
            LOG.warnf("event %s (%s) refers to unknown run %s", event.id(), event.type(), runId);
            return;
        }
        Instant at = event.time();
        String before = run.status;
        switch (event.type()) {
            case AUDIENCE_RESOLUTION_STARTED -> {
                run.resolvingAt = run.resolvingAt == null ? at : run.resolvingAt;
                advance(run, RunStatus.RESOLVING, at);
            }
            case AUDIENCE_RESOLVED -> {
                AudienceResolved resolved = event.data(AudienceResolved.class);
                run.matched = resolved.matched();
                run.streamed = resolved.streamed();
                exclusions(run, resolved.excluded());
                advance(run, RunStatus.RESOLVING, at);
            }
            case AUDIENCE_RESOLUTION_FAILED ->
                fail(run, event.data(AudienceResolutionFailed.class).reason(), at);
            case EXTRACTION_STARTED -> {
                run.extractingAt = run.extractingAt == null ? at : run.extractingAt;
                advance(run, RunStatus.EXTRACTING, at);
            }
            case EXTRACTION_COMPLETED -> {
                ExtractionCompleted completed = event.data(ExtractionCompleted.class);
                run.exportedRows = completed.rows();
                run.seedRows = completed.seedRows();
                run.rejectedRows = completed.rejectedRows();
                run.manifestName = completed.manifest() == null
                        ? null
                        : completed.manifest().name();
                run.deliveringAt = run.deliveringAt == null ? at : run.deliveringAt;
                if (!completed.files().isEmpty()) {
                    StagedFile file = completed.files().get(0);
                    run.fileName = file.name();
                    run.fileBytes = file.bytes();
                    run.fileSha256 = file.sha256();
                    run.stagingKey = file.key();
                }
                for (int i = 0; i < completed.files().size(); i++) {
                    StagedFile staged = completed.files().get(i);
                    RunFileEntity part = new RunFileEntity();
                    part.runId = run.id;
                    part.part = i + 1;
                    part.name = staged.name();
                    part.rows = staged.rows();
                    part.bytes = staged.bytes();
                    part.sha256 = staged.sha256();
                    part.stagingKey = staged.key();
                    runs.addFile(part);
                }
                advance(run, RunStatus.DELIVERING, at);
                if (run.deliveredAt != null) {
                    advance(run, RunStatus.DELIVERED, run.deliveredAt); // its delivery was read first
                }
            }
            case EXTRACTION_FAILED ->
                fail(run, event.data(ExtractionFailed.class).reason(), at);
            case DELIVERY_ATTEMPTED -> {
                DeliveryAttempted attempted = event.data(DeliveryAttempted.class);
                DeliveryAttemptEntity attempt = new DeliveryAttemptEntity();
                attempt.runId = run.id;
                attempt.attempt = attempted.attempt();
                attempt.destination = attempted.destination();
                attempt.succeeded = attempted.succeeded();
                attempt.error = attempted.error();
                attempt.at = at;
                runs.addAttempt(attempt);
                if (!attempted.resend()) {
                    run.destination = attempted.destination();
                }
                run.updatedAt = Instant.now();
            }
            case DELIVERY_SUCCEEDED -> {
                DeliverySucceeded succeeded = event.data(DeliverySucceeded.class);
                if (succeeded.resend()) {
                    // A re-send is listed among the attempts; the run keeps its original delivery.
                    run.updatedAt = Instant.now();
                    break;
                }
                run.destination = succeeded.destination();
                if (!succeeded.files().isEmpty()) {
                    run.deliveredLocation = succeeded.files().get(0).location();
                }
                run.deliveredAt = at;
                if (run.exportedRows != null) {
                    advance(run, RunStatus.DELIVERED, at);
                } else {
                    // Stage events travel on three topics: the extraction's counts may still be on their way.
                    run.updatedAt = Instant.now();
                }
            }
            case DELIVERY_FAILED -> {
                DeliveryFailed failed = event.data(DeliveryFailed.class);
                if (!failed.resend()) {
                    fail(run, failed.reason(), at);
                }
            }
            default -> {
                // Other event types on these topics do not change a run.
            }
        }
        auditEnd(run, before);
    }

    /**
     * The end of a run is a step of its campaign's story: {@code run.delivered} or {@code run.failed}, by Mailshot
     * itself (no person did it), in the transaction that records it. Cancellation is audited where it is asked for.
     */
    private void auditEnd(RunEntity run, String before) {
        if (before.equals(run.status)) {
            return;
        }
        RunStatus now = RunStatus.valueOf(run.status);
        if (now != RunStatus.DELIVERED && now != RunStatus.FAILED) {
            return;
        }
        audit.record(
                Actor.SYSTEM,
                now == RunStatus.DELIVERED ? "run.delivered" : "run.failed",
                AuditTrail.ref("run", run.id),
                AuditTrail.ref("campaign", run.campaignId),
                AuditTrail.details(
                        "from",
                        before,
                        "to",
                        run.status,
                        "exportedRows",
                        run.exportedRows,
                        "reason",
                        now == RunStatus.FAILED ? run.error : null));
    }

    private static void exclusions(RunEntity run, ExclusionCounts excluded) {
        if (excluded == null) {
            return;
        }
        run.noConsent = excluded.noConsent();
        run.noAddress = excluded.noAddress();
        run.suppressed = excluded.suppressed();
        run.duplicate = excluded.duplicate();
        run.holdout = excluded.holdout();
        run.returned = excluded.returned();
        run.pressure = excluded.pressure();
    }

    private static void advance(RunEntity run, RunStatus to, Instant at) {
        RunStatus current = RunStatus.valueOf(run.status);
        run.updatedAt = Instant.now();
        if (current.isFinal() || to.ordinal() <= current.ordinal()) {
            return;
        }
        run.status = to.name();
        if (to.isFinal()) {
            run.completedAt = at;
        }
    }

    private static void fail(RunEntity run, String reason, Instant at) {
        RunStatus current = RunStatus.valueOf(run.status);
        run.updatedAt = Instant.now();
        if (current.isFinal()) {
            return;
        }
        run.status = RunStatus.FAILED.name();
        run.error = reason;
        run.completedAt = at;
    }
}
