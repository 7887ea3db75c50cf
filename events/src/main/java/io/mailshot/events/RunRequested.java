package io.mailshot.events;

import java.time.Instant;
import java.util.UUID;

/** A campaign run was requested: resolve its audience and produce its file. */
public record RunRequested(UUID runId, UUID campaignId, String campaignName, UUID audienceId, RunSpec spec,
        Instant requestedAt) {
}
