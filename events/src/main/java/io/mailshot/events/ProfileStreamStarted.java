package io.mailshot.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * First record of one resolution attempt on the profile stream. It makes the stream self-describing:
 * the extraction-service needs nothing else to render the run's file.
 *
 * @param attemptId a new id each time resolution (re)starts; only a completed attempt counts
 * @param fields the attribute paths carried by each {@link ProfileStreamed}, in the order of its values
 */
public record ProfileStreamStarted(UUID runId, UUID attemptId, UUID campaignId, String campaignName, RunSpec spec,
        List<String> fields, Instant requestedAt) {
}
