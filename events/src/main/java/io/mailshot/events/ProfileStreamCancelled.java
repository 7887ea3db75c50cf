package io.mailshot.events;

import java.util.UUID;

/**
 * The run was cancelled: no completion marker will follow, and whatever was streamed for it is to be
 * discarded. Ends the run on the profile stream, so consumers can let go of it.
 */
public record ProfileStreamCancelled(UUID runId, UUID attemptId) {}
