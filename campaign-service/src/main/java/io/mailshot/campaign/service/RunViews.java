package io.mailshot.campaign.service;

import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.campaign.rest.ApiModels.ActorView;
import io.mailshot.campaign.rest.ApiModels.AttemptView;
import io.mailshot.campaign.rest.ApiModels.CountsView;
import io.mailshot.campaign.rest.ApiModels.DeliveryView;
import io.mailshot.campaign.rest.ApiModels.ExclusionsView;
import io.mailshot.campaign.rest.ApiModels.PartView;
import io.mailshot.campaign.rest.ApiModels.ProgressView;
import io.mailshot.campaign.rest.ApiModels.RunFileView;
import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.rest.ApiModels.StagesView;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** Reads runs as the API shows them. */
@ApplicationScoped
@Transactional
public class RunViews {

    private final RunRepository runs;

    public RunViews(RunRepository runs) {
        this.runs = runs;
    }

    public RunView get(UUID runId) {
        return view(runs.findByIdOptional(runId).orElseThrow(() -> DomainException.notFound("run", runId)));
    }

    RunView view(RunEntity r) {
        List<AttemptView> attempts = runs.attempts(r.id).stream()
                .map(a -> new AttemptView(a.attempt, a.destination, a.succeeded, a.error, a.at)).toList();
        Long delivered = RunStatus.DELIVERED.name().equals(r.status) ? r.exportedRows : Long.valueOf(0);
        CountsView counts = new CountsView(r.matched, r.streamed,
                new ExclusionsView(r.noConsent, r.noAddress, r.suppressed, r.duplicate, r.holdout), r.exportedRows,
                r.seedRows, r.rejectedRows, delivered);
        List<PartView> parts = runs.files(r.id).stream()
                .map(f -> new PartView(f.part, f.name, f.rows, f.bytes, f.sha256, f.stagingKey)).toList();
        Long firstRows = parts.isEmpty() ? r.exportedRows : Long.valueOf(parts.get(0).rows());
        RunFileView file = new RunFileView(r.fileName, firstRows, r.fileBytes, r.fileSha256, r.stagingKey);
        DeliveryView delivery = new DeliveryView(r.destination, r.deliveredLocation, attempts);
        StagesView stages = new StagesView(r.requestedAt, r.resolvingAt, r.extractingAt, r.deliveringAt,
                r.completedAt);
        // The final figures of AudienceResolved / ExtractionCompleted win over the advisory progress.
        ProgressView progress = new ProgressView(r.streamed != null ? r.streamed : runs.streamedSoFar(r.id),
                r.exportedRows != null ? r.exportedRows : r.rowsWritten);
        return new RunView(r.id, r.campaignId, r.status, r.requestedAt, r.updatedAt, r.completedAt, stages,
                progress, counts, file, parts, r.manifestName, delivery, r.error, r.retryOf,
                ActorView.of(r.requestedBy, r.requestedByName), ActorView.of(r.cancelledBy, r.cancelledByName));
    }
}
