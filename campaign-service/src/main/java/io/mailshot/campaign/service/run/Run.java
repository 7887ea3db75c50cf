package io.mailshot.campaign.service.run;

import io.mailshot.events.Actor;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run as it stands. {@code file} summarises the first part (the whole file when not split); {@code files} lists
 * every part in order, and {@code manifest} names the manifest published after them.
 */
public record Run(
        UUID id,
        UUID campaignId,
        String status,
        Instant requestedAt,
        Instant updatedAt,
        Instant completedAt,
        Stages stages,
        Progress progress,
        Counts counts,
        FileSummary file,
        List<Part> files,
        String manifest,
        Delivery delivery,
        String error,
        UUID retryOf,
        Actor requestedBy,
        Actor cancelledBy,
        Cost cost) {

    public record Exclusions(
            Long noConsent,
            Long noAddress,
            Long suppressed,
            Long duplicate,
            Long holdout,
            Long returned,
            Long pressure) {}

    /**
     * What the run cost, at the prices snapshotted when it was requested: {@code pieces} (profile rows and seed rows
     * written) × {@code perPiece} + {@code files} (parts staged) × {@code perFile}. Null until the extraction
     * completed, and for a run whose configuration had no pricing.
     */
    public record Cost(
            long pieces, long files, BigDecimal perPiece, BigDecimal perFile, String currency, BigDecimal amount) {}

    public record Counts(
            Long targeted,
            Long streamed,
            Exclusions excluded,
            Long exported,
            Long seedRows,
            Long rejected,
            Long delivered) {}

    public record FileSummary(String name, Long rows, Long bytes, String sha256, String stagingKey) {}

    public record Attempt(int attempt, String destination, boolean succeeded, String error, Instant at) {}

    public record Delivery(String destination, String location, List<Attempt> attempts) {}

    /** When each stage started; null until it did. */
    public record Stages(
            Instant requested, Instant resolving, Instant extracting, Instant delivering, Instant finished) {}

    /**
     * Profiles streamed and rows written so far: advisory while a stage runs, final once it ended. Parts and bytes
     * staged, files and bytes delivered: advisory; {@code current} is the stage under way (null when none is).
     */
    public record Progress(
            Long profilesStreamed,
            Long rowsWritten,
            Long partsStaged,
            Long bytesStaged,
            Integer filesDelivered,
            Long bytesDelivered,
            StageProgress current) {}

    /**
     * The stage under way as a progress bar: {@code done} of {@code total} {@code unit}s ({@code total} null while
     * it is not known yet; {@code done} never above it).
     */
    public record StageProgress(String stage, String unit, long done, Long total) {}

    public record Part(int part, String name, long rows, long bytes, String sha256, String stagingKey) {}
}
