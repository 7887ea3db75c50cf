package io.mailshot.events;

import java.util.UUID;

/** The extraction-service started writing a run's file. */
public record ExtractionStarted(UUID runId, UUID attemptId) {}
