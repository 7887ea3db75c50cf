package io.mailshot.events;

import java.util.UUID;

/** The audience could not be resolved, e.g. it was deleted. {@code reason} never contains profile data. */
public record AudienceResolutionFailed(UUID runId, String reason) {}
