package io.mailshot.campaign.service.run;

import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.campaign.service.Actors;
import io.mailshot.campaign.service.cost.Costs;
import io.mailshot.campaign.service.cost.Pricing;
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
                new Run.Exclusions(
                        r.noConsent, r.noAddress, r.suppressed, r.duplicate, r.holdout, r.returned, r.pressure),
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
        Long streamed = r.streamed != null ? r.streamed : runs.streamedSoFar(r.id);
        Long rows = r.exportedRows != null ? r.exportedRows : r.rowsWritten;
        Long partsStaged = r.exportedRows != null ? Long.valueOf(parts.size()) : r.partsStaged;
        Long bytesStaged = r.exportedRows != null
                ? Long.valueOf(parts.stream().mapToLong(Run.Part::bytes).sum())
                : r.bytesStaged;
        Run.Progress progress = new Run.Progress(
                streamed,
                rows,
                partsStaged,
                bytesStaged,
                r.filesWritten,
                r.bytesDelivered,
                current(r, streamed, rows, parts));
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
                Actors.of(r.cancelledBy, r.cancelledByName),
                cost(r, parts));
    }

    /** The run's actual cost once its rows are known, at the prices of its request; null before or without them. */
    public static Run.Cost cost(RunEntity r, List<Run.Part> parts) {
        if (r.exportedRows == null || r.priceCurrency == null) {
            return null;
        }
        long pieces = r.exportedRows + (r.seedRows == null ? 0 : r.seedRows);
        long files = parts.size();
        Pricing pricing = new Pricing(r.pricePerPiece, r.pricePerFile, r.priceCurrency);
        return new Run.Cost(
                pieces, files, r.pricePerPiece, r.pricePerFile, r.priceCurrency, Costs.cost(pricing, pieces, files));
    }

    /**
     * The stage under way as a bar. Resolution counts profiles streamed, of a total known once the audience is
     * resolved; extraction counts rows written, of the profiles streamed (rejected rows are never written, so the bar
     * may end short of the total: ExtractionCompleted then moves the run on); delivery counts the staged bytes read
     * and written on, of the size the delivery announced (else of the staged parts). Figures above the total (a
     * late advisory event, seed rows) are shown as the total, never beyond.
     */
    private static Run.StageProgress current(RunEntity r, Long streamed, Long rows, List<Run.Part> parts) {
        return switch (RunStatus.valueOf(r.status)) {
            case RESOLVING -> bar("RESOLVING", "profiles", streamed, r.streamed);
            case EXTRACTING -> bar("EXTRACTING", "rows", rows, r.streamed);
            case DELIVERING ->
                bar(
                        "DELIVERING",
                        "bytes",
                        r.bytesDelivered,
                        r.bytesToDeliver != null
                                ? r.bytesToDeliver
                                : parts.isEmpty()
                                        ? null
                                        : parts.stream()
                                                .mapToLong(Run.Part::bytes)
                                                .sum());
            default -> null;
        };
    }

    private static Run.StageProgress bar(String stage, String unit, Long done, Long total) {
        long value = done == null ? 0 : Math.max(0, done);
        return new Run.StageProgress(stage, unit, total == null ? value : Math.min(value, total), total);
    }
}
