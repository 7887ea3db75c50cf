package io.mailshot.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A campaign run was requested: resolve its audience and produce its file. {@code requestedBy} is who activated the
 * campaign or retried a run ({@link Actor#SYSTEM} for a scheduled occurrence); null only in events older than it.
 */
public record RunRequested(
        UUID runId,
        UUID campaignId,
        String campaignName,
        UUID audienceId,
        RunSpec spec,
        Instant requestedAt,
        Actor requestedBy) {}
