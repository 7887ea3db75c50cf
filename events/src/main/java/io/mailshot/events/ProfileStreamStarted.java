package io.mailshot.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * First record of one resolution attempt on the profile stream. It makes the stream self-describing:
 * the extraction-service needs nothing else to render the run's file.
 *
 * @param attemptId a new id each time resolution (re)starts; only a completed attempt counts
 * @param fields the attribute paths carried by each profile of a {@link ProfilesStreamed}, in the order of its values
 * @param slice which slice of the run this attempt streams, from 0; null means 0
 * @param slices how many slices the run was split into; null means 1. The run is complete when one
 *     attempt of every slice has completed.
 */
public record ProfileStreamStarted(
        UUID runId,
        UUID attemptId,
        UUID campaignId,
        String campaignName,
        RunSpec spec,
        List<String> fields,
        Instant requestedAt,
        Integer slice,
        Integer slices) {

    /** An unsliced run: the attempt streams the whole audience. */
    public ProfileStreamStarted(
            UUID runId,
            UUID attemptId,
            UUID campaignId,
            String campaignName,
            RunSpec spec,
            List<String> fields,
            Instant requestedAt) {
        this(runId, attemptId, campaignId, campaignName, spec, fields, requestedAt, null, null);
    }

    public int sliceOrZero() {
        return slice == null ? 0 : slice;
    }

    public int slicesOrOne() {
        return slices == null ? 1 : slices;
    }
}
