package io.mailshot.campaign.service.run;

import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.campaign.service.Actors;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** Reads runs: their status, counts, files, deliveries and progress. */
@ApplicationScoped
@Transactional
public class RunViews {

    private final RunRepository runs;

    public RunViews(RunRepository runs) {
        this.runs = runs;
    }

    public Run get(UUID runId) {
        return view(runs.findByIdOptional(runId).orElseThrow(() -> DomainException.notFound("run", runId)));
    }

    public Run view(RunEntity r) {
        List<Run.Attempt> attempts = runs.attempts(r.id).stream()
                .map(a -> new Run.Attempt(a.attempt, a.destination, a.succeeded, a.error, a.at))
                .toList();
        Long delivered = RunStatus.DELIVERED.name().equals(r.status) ? r.exportedRows : Long.valueOf(0);
        Run.Counts counts = new Run.Counts(
                r.matched,
                r.streamed,
                new Run.Exclusions(r.noConsent, r.noAddress, r.suppressed, r.duplicate, r.holdout),
                r.exportedRows,
                r.seedRows,
                r.rejectedRows,
                delivered);
        List<Run.Part> parts = runs.files(r.id).stream()
                .map(f -> new Run.Part(f.part, f.name, f.rows, f.bytes, f.sha256, f.stagingKey))
                .toList();
        Long firstRows =
                parts.isEmpty() ? r.exportedRows : Long.valueOf(parts.get(0).rows());
        Run.FileSummary file = new Run.FileSummary(r.fileName, firstRows, r.fileBytes, r.fileSha256, r.stagingKey);
        Run.Delivery delivery = new Run.Delivery(r.destination, r.deliveredLocation, attempts);
        Run.Stages stages = new Run.Stages(r.requestedAt, r.resolvingAt, r.extractingAt, r.deliveringAt, r.completedAt);
        // The final figures of AudienceResolved / ExtractionCompleted win over the advisory progress.
        Run.Progress progress = new Run.Progress(
                r.streamed != null ? r.streamed : runs.streamedSoFar(r.id),
                r.exportedRows != null ? r.exportedRows : r.rowsWritten);
        return new Run(
                r.id,
                r.campaignId,
                r.status,
                r.requestedAt,
                r.updatedAt,
                r.completedAt,
                stages,
                progress,
                counts,
                file,
                parts,
                r.manifestName,
                delivery,
                r.error,
                r.retryOf,
                Actors.of(r.requestedBy, r.requestedByName),
                Actors.of(r.cancelledBy, r.cancelledByName));
    }
}
