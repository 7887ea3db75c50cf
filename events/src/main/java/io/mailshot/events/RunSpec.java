package io.mailshot.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The snapshot of a campaign's file definition that one run executes. A run never sees later edits.
 * Fields after {@code identityNamespace} may be null, meaning their default.
 *
 * @param fileName the rendered file name (no folders); may still hold {@code {part:03}}, which the
 *     extraction-service fills per part
 * @param columns the ordered columns
 * @param routingId the delivery-service file routing the files go to
 * @param identityNamespace which identity namespace identifies each row
 * @param format the file layout; null means {@link FileFormat#defaults()}
 * @param sort sort keys, applied in order; empty or null means stream order
 * @param splitEvery at most this many rows per part; null means one part
 * @param seeds control records added to every part
 * @param seedPlacement START (default), END or SORTED
 * @param fields every attribute path the columns read, in a stable order (expressions included);
 *     null means the columns' paths
 * @param constants named constant values that expressions may read as {@code const.<name>}
 * @param holdoutPercent 0–50: the share of eligible profiles held out as a control group; null means 0
 * @param dedup NONE (default), IDENTITY, ADDRESS or HOUSEHOLD
 * @param suppressionListIds suppression lists whose entries are never mailed
 * @param folder a relative folder under the routing's base folder where the files go (already rendered,
 *     segments separated by {@code /}, no {@code .}/{@code ..}, no leading or trailing slash); null means the
 *     base folder itself
 * @param pressureRules mail-pressure rules the audience-service applies at resolution (exclusion reason
 *     {@code pressure}); null or empty means none (also when the campaign is exempted)
 * @param splitBy the label of a column whose rendered value splits the run into one file set per value (a version
 *     cell, a region); each set is numbered and capped on its own; null means one file set
 * @param splitMaxBytes at most this many bytes per part (a part holds at least one row); null means no cap.
 *     With {@link #splitEvery()} too, a part ends at whichever limit comes first
 */
public record RunSpec(
        String fileName,
        List<FileColumn> columns,
        UUID routingId,
        String identityNamespace,
        FileFormat format,
        List<SortKey> sort,
        Integer splitEvery,
        List<SeedRecord> seeds,
        String seedPlacement,
        List<String> fields,
        Map<String, String> constants,
        Integer holdoutPercent,
        String dedup,
        List<UUID> suppressionListIds,
        String folder,
        List<PressureRule> pressureRules,
        String splitBy,
        Long splitMaxBytes) {

    /** No pressure rules, no split by field or size. */
    public RunSpec(
            String fileName,
            List<FileColumn> columns,
            UUID routingId,
            String identityNamespace,
            FileFormat format,
            List<SortKey> sort,
            Integer splitEvery,
            List<SeedRecord> seeds,
            String seedPlacement,
            List<String> fields,
            Map<String, String> constants,
            Integer holdoutPercent,
            String dedup,
            List<UUID> suppressionListIds,
            String folder) {
        this(
                fileName,
                columns,
                routingId,
                identityNamespace,
                format,
                sort,
                splitEvery,
                seeds,
                seedPlacement,
                fields,
                constants,
                holdoutPercent,
                dedup,
                suppressionListIds,
                folder,
                null,
                null,
                null);
    }

    /** Every optional field but the folder: the files go to the routing's base folder. */
    public RunSpec(
            String fileName,
            List<FileColumn> columns,
            UUID routingId,
            String identityNamespace,
            FileFormat format,
            List<SortKey> sort,
            Integer splitEvery,
            List<SeedRecord> seeds,
            String seedPlacement,
            List<String> fields,
            Map<String, String> constants,
            Integer holdoutPercent,
            String dedup,
            List<UUID> suppressionListIds) {
        this(
                fileName,
                columns,
                routingId,
                identityNamespace,
                format,
                sort,
                splitEvery,
                seeds,
                seedPlacement,
                fields,
                constants,
                holdoutPercent,
                dedup,
                suppressionListIds,
                null);
    }

    /** The foundation's shape: one CSV file, stream order, no exclusions beyond consent. */
    public RunSpec(String fileName, List<FileColumn> columns, UUID routingId, String identityNamespace) {
        this(
                fileName,
                columns,
                routingId,
                identityNamespace,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
