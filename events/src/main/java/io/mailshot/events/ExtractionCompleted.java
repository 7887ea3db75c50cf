package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/**
 * A run's files are completely staged; delivery may start.
 *
 * @param rows profile rows written across all parts (seed rows not included)
 * @param files the parts, in order
 * @param manifest the manifest (JSON), to be published last at the destination; null for producers
 *     that write none
 * @param seedRows seed records written across all parts
 * @param rejectedRows rows left out because a value could not be written (see the manifest for reasons)
 * @param trigger the manifest as a CSV trigger file, published after the manifest; null when not asked for
 * @param folder the run's folder under the routing's base folder ({@link RunSpec#folder()}); null means the
 *     base folder itself
 */
public record ExtractionCompleted(
        UUID runId,
        UUID campaignId,
        UUID routingId,
        long rows,
        List<StagedFile> files,
        StagedFile manifest,
        long seedRows,
        long rejectedRows,
        StagedFile trigger,
        String folder) {

    public ExtractionCompleted(
            UUID runId,
            UUID campaignId,
            UUID routingId,
            long rows,
            List<StagedFile> files,
            StagedFile manifest,
            long seedRows,
            long rejectedRows,
            StagedFile trigger) {
        this(runId, campaignId, routingId, rows, files, manifest, seedRows, rejectedRows, trigger, null);
    }

    public ExtractionCompleted(UUID runId, UUID campaignId, UUID routingId, long rows, List<StagedFile> files) {
        this(runId, campaignId, routingId, rows, files, null, 0, 0, null, null);
    }

    public ExtractionCompleted(
            UUID runId,
            UUID campaignId,
            UUID routingId,
            long rows,
            List<StagedFile> files,
            StagedFile manifest,
            long seedRows,
            long rejectedRows) {
        this(runId, campaignId, routingId, rows, files, manifest, seedRows, rejectedRows, null, null);
    }
}
