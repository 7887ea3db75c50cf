package io.mailshot.extraction.persistence;

import java.time.Instant;
import java.util.UUID;

/** A finished run as recorded in {@code extracted_run}: its staged file, or why it failed. */
public record ExtractedRun(UUID runId, UUID attemptId, Status status, long rows, String objectKey, Long bytes,
        String sha256, String reason, Instant completedAt) {

    /** How the run ended. */
    public enum Status {
        COMPLETED, FAILED
    }
}
