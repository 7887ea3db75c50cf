package io.mailshot.events;

import java.util.UUID;

/** A run's file could not be produced. Nothing was staged for delivery. */
public record ExtractionFailed(UUID runId, String reason) {}
