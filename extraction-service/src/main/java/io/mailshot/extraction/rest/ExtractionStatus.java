package io.mailshot.extraction.rest;

import java.time.Instant;
import java.util.UUID;

/**
 * A run's extraction as seen by this service.
 *
 * @param status IN_PROGRESS, RETRY_SCHEDULED (a try failed; the next one starts at {@code nextTryAt}),
 *     COMPLETED, FAILED or CANCELLED
 * @param rowsWritten rows written so far (in progress) or in the file (finished)
 * @param objectKey key of the first staged part in the staging bucket; null unless COMPLETED with a part
 * @param bytes bytes spilled so far (in progress, may lag behind buffering) or of all staged parts
 * @param sha256 hex SHA-256 of the staged part when there is exactly one; otherwise see the manifest
 * @param reason why the run failed, or why its last try failed (RETRY_SCHEDULED); null otherwise
 * @param parts number of staged parts; null unless COMPLETED
 * @param seedRows seed rows across the parts; null unless COMPLETED
 * @param rejectedRows rows left out (unencodable or too long); rows rejected so far while in progress
 * @param manifestKey key of the staged manifest; null unless COMPLETED
 * @param tries tries so far; null unless RETRY_SCHEDULED
 * @param nextTryAt when the next try starts; null unless RETRY_SCHEDULED
 */
public record ExtractionStatus(
        UUID runId,
        Status status,
        UUID attemptId,
        long rowsWritten,
        String objectKey,
        Long bytes,
        String sha256,
        String reason,
        Integer parts,
        Long seedRows,
        Long rejectedRows,
        String manifestKey,
        Integer tries,
        Instant nextTryAt) {

    /** Where the extraction of a run stands. */
    public enum Status {
        IN_PROGRESS,
        RETRY_SCHEDULED,
        COMPLETED,
        FAILED,
        CANCELLED
    }
}
