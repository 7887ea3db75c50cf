package io.mailshot.extraction.rest;

import java.util.UUID;

/**
 * A run's extraction as seen by this service.
 *
 * @param status IN_PROGRESS, COMPLETED or FAILED
 * @param rowsWritten rows written so far (in progress) or in the file (finished)
 * @param objectKey key of the staged file in the staging bucket; null unless COMPLETED
 * @param bytes size written so far (in progress, may lag behind buffering) or of the staged file
 * @param sha256 hex SHA-256 of the staged file; null unless COMPLETED
 * @param reason why the run failed; null unless FAILED
 */
public record ExtractionStatus(UUID runId, Status status, UUID attemptId, long rowsWritten, String objectKey,
        Long bytes, String sha256, String reason) {

    /** Where the extraction of a run stands. */
    public enum Status {
        IN_PROGRESS, COMPLETED, FAILED
    }
}
