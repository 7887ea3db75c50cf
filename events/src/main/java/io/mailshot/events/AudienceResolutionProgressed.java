package io.mailshot.events;

import java.util.UUID;

/**
 * How far one resolution attempt of a run has got, for progress bars. Advisory: published directly
 * (not through the outbox), so one may be lost or repeated; the final figures are in {@link AudienceResolved}.
 *
 * @param slice which slice of the run this attempt resolves, from 0
 * @param slices how many slices the run was split into (1 when not split)
 * @param scanned profiles read from the store so far, by this attempt of this slice
 * @param streamed profiles sent on the profile stream so far, by this attempt of this slice
 */
public record AudienceResolutionProgressed(
        UUID runId, UUID attemptId, int slice, int slices, long scanned, long streamed) {}
