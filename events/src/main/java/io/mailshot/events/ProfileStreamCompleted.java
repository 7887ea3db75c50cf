package io.mailshot.events;

import java.util.UUID;

/** Last record of a resolution attempt: the attempt streamed exactly {@code streamed} profiles. */
public record ProfileStreamCompleted(UUID runId, UUID attemptId, long matched, long streamed,
        ExclusionCounts excluded) {
}
