package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/** A run's files are completely staged; delivery may start. */
public record ExtractionCompleted(UUID runId, UUID campaignId, UUID routingId, long rows, List<StagedFile> files) {
}
