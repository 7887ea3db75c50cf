package io.mailshot.events;

import java.util.UUID;

/**
 * The audience-service gave up resolving the run (its tries are spent; {@code reason} says why, without profile
 * data): no completion marker will follow, whatever was streamed for it is to be discarded, and the run has
 * FAILED. Ends the run on the profile stream, so consumers can let go of it.
 */
public record ProfileStreamAbandoned(UUID runId, String reason) {}
