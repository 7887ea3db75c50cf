package io.mailshot.events;

import java.util.UUID;

/** The audience-service started streaming a run's profiles. */
public record AudienceResolutionStarted(UUID runId, UUID attemptId) {}
