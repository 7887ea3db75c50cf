package io.mailshot.extraction.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * A finished run as recorded in {@code extracted_run}: its staged files, or why it failed.
 *
 * @param objectKey key of the first part; null when none was staged
 * @param bytes total bytes of the parts
 * @param sha256 SHA-256 of the only part; null when there are several (see the manifest)
 */
public record ExtractedRun(
        UUID runId,
        UUID attemptId,
        Status status,
        long rows,
        String objectKey,
        Long bytes,
        String sha256,
        String reason,
        Instant completedAt,
        int parts,
        long seedRows,
        long rejectedRows,
        String manifestKey) {

    /** A failed run: nothing staged. */
    public static ExtractedRun failed(UUID runId, UUID attemptId, long rows, String reason) {
        return new ExtractedRun(
                runId, attemptId, Status.FAILED, rows, null, null, null, reason, Instant.now(), 0, 0, 0, null);
    }

    /** A cancelled run: whatever was written is discarded, nothing is staged or announced. */
    public static ExtractedRun cancelled(UUID runId, UUID attemptId, long rows) {
        return new ExtractedRun(
                runId, attemptId, Status.CANCELLED, rows, null, null, null, "cancelled", Instant.now(), 0, 0, 0, null);
    }

    /** How the run ended. */
    public enum Status {
        COMPLETED,
        FAILED,
        CANCELLED
    }
}
