package io.mailshot.campaign.service.run;

import io.mailshot.events.Actor;
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
        Actor cancelledBy) {

    public record Exclusions(Long noConsent, Long noAddress, Long suppressed, Long duplicate, Long holdout) {}

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

    /** Profiles streamed and rows written so far: advisory while a stage runs, final once it ended. */
    public record Progress(Long profilesStreamed, Long rowsWritten) {}

    public record Part(int part, String name, long rows, long bytes, String sha256, String stagingKey) {}
}
