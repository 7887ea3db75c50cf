package io.mailshot.events;

import java.util.UUID;

/**
 * A marketer cancelled a run. Every stage stops its work on the run and publishes nothing more for it.
 * Travels on its own topic, so a service busy with the run still sees it. {@code cancelledBy}: who cancelled it.
 */
public record RunCancelled(UUID runId, String reason, Actor cancelledBy) {}
