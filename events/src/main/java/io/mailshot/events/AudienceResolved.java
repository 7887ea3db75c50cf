package io.mailshot.events;

import java.util.UUID;

/** A run's audience was fully streamed: {@code matched} profiles matched, {@code streamed} were sent on. */
public record AudienceResolved(UUID runId, UUID attemptId, long matched, long streamed, ExclusionCounts excluded) {}
