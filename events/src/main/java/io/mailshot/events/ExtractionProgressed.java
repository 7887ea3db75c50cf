package io.mailshot.events;

import java.util.UUID;

/**
 * How far the extraction of a run has got, for progress bars. Advisory: published directly (not
 * through the outbox), so one may be lost or repeated; the final figures are in {@link ExtractionCompleted}.
 * The figures are cumulative for the run and start again from zero when the extraction rebuilds the run
 * (after a restart), so a consumer shows the latest one it received.
 *
 * @param profilesReceived profiles received from the profile stream so far
 * @param rowsWritten rows rendered and written to the (not yet staged) file so far
 */
public record ExtractionProgressed(UUID runId, long profilesReceived, long rowsWritten) {}
