package io.mailshot.events;

import java.util.UUID;

/**
 * How far the extraction of a run has got, for progress bars. Advisory: published directly (not
 * through the outbox), so one may be lost or repeated; the final figures are in {@link ExtractionCompleted}.
 * The figures are cumulative for the run and start again from zero when the extraction rebuilds the run
 * (after a restart), so a consumer shows the latest one it received. Sent at most about once a second per run
 * and instance while rows are written and while parts are staged, and once more when the last part is staged.
 *
 * @param profilesReceived profiles received from the profile stream so far
 * @param rowsWritten rows rendered and written to the (not yet staged) file so far
 * @param partsStaged parts of the file uploaded to the staging bucket so far (0 until the rows are all written;
 *     null from a producer older than this field, meaning 0)
 * @param bytesStaged bytes of those parts
 */
public record ExtractionProgressed(
        UUID runId, long profilesReceived, long rowsWritten, Long partsStaged, Long bytesStaged) {

    /** Progress while rows are written, before any part is staged. */
    public ExtractionProgressed(UUID runId, long profilesReceived, long rowsWritten) {
        this(runId, profilesReceived, rowsWritten, 0L, 0L);
    }
}
