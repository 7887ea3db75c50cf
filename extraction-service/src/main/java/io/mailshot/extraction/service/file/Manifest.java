package io.mailshot.extraction.service.file;

import io.mailshot.extraction.service.CsvWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The manifest of a run's files, published last at the destination so a receiver can check every part:
 * names, row counts, sizes and SHA-256 of the bytes as delivered (compressed when compressed).
 *
 * @param schemaVersion version of this manifest layout (1)
 * @param rejections the first rejected rows with their reasons (never values), at most {@link #MAX_REJECTIONS}
 */
public record Manifest(int schemaVersion, UUID runId, UUID campaignId, String campaignName, Instant completedAt,
        Format format, List<PartEntry> parts, Totals totals, List<String> rejections) {

    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_REJECTIONS = 100;

    /** What a receiver needs to read the parts. */
    public record Format(String type, String encoding, String compression, String lineEnding) {
    }

    /** One part as staged. */
    public record PartEntry(int part, String name, String key, long rows, long seedRows, long bytes, String sha256) {
    }

    /**
     * @param transliteratedValues values whose unencodable characters were transliterated
     */
    public record Totals(int parts, long rows, long seedRows, long rejectedRows, long transliteratedValues,
            long bytes) {
    }

    /** The manifest as a CSV trigger file: one line per part. */
    public String toCsv() throws IOException {
        StringWriter out = new StringWriter();
        try (CsvWriter csv = new CsvWriter(out, false)) {
            csv.record("run_id", "campaign_id", "part", "name", "rows", "seed_rows", "bytes", "sha256");
            for (PartEntry p : parts) {
                csv.record(runId.toString(), campaignId == null ? "" : campaignId.toString(), String.valueOf(p.part()),
                        p.name(), String.valueOf(p.rows()), String.valueOf(p.seedRows()), String.valueOf(p.bytes()),
                        p.sha256());
            }
        }
        return out.toString();
    }
}
