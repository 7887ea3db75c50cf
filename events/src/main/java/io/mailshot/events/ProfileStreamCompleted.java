package io.mailshot.events;

import java.util.UUID;

/**
 * Last record of a resolution attempt: the attempt streamed exactly {@code streamed} profiles. For a sliced
 * run the counts are the slice's; {@code slice}/{@code slices} repeat the attempt's start (null means 0 of 1).
 */
public record ProfileStreamCompleted(
        UUID runId,
        UUID attemptId,
        long matched,
        long streamed,
        ExclusionCounts excluded,
        Integer slice,
        Integer slices) {

    /** An unsliced run. */
    public ProfileStreamCompleted(UUID runId, UUID attemptId, long matched, long streamed, ExclusionCounts excluded) {
        this(runId, attemptId, matched, streamed, excluded, null, null);
    }
}
