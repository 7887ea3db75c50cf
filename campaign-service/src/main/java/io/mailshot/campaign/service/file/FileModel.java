package io.mailshot.campaign.service.file;

import java.util.List;
import java.util.Map;

/**
 * The file a campaign's runs write, as the domain holds it: columns, sort, seeds, notes and format. Stored as JSON
 * with a campaign (field names are the stored shape: renaming one breaks campaigns already saved).
 */
public final class FileModel {

    private FileModel() {}

    public enum FileType {
        CSV,
        DELIMITED,
        FIXED_WIDTH
    }

    public enum QuoteMode {
        MINIMAL,
        ALL
    }

    public enum Encoding {
        UTF_8,
        UTF_8_BOM,
        ISO_8859_1,
        WINDOWS_1252
    }

    public enum Unencodable {
        TRANSLITERATE,
        REJECT_ROW
    }

    public enum LineEnding {
        LF,
        CRLF
    }

    public enum Compression {
        NONE,
        GZIP,
        ZIP
    }

    public enum EmptyAudience {
        HEADER_ONLY,
        NO_FILE
    }

    public enum Align {
        LEFT,
        RIGHT
    }

    public enum Overflow {
        TRUNCATE,
        REJECT_ROW
    }

    public enum Direction {
        ASC,
        DESC
    }

    public enum SeedPlacement {
        START,
        END,
        SORTED
    }

    /** Format defaults (configuration) or overrides (campaign). Null means inherited or default. */
    public record Format(
            FileType type,
            String delimiter,
            String quote,
            QuoteMode quoteMode,
            Boolean header,
            Encoding encoding,
            Unencodable unencodable,
            LineEnding lineEnding,
            Boolean neutraliseFormulas,
            Compression compression,
            String dateFormat,
            String numberFormat,
            EmptyAudience emptyAudience,
            Boolean manifestCsv) {}

    /** One column: a label and exactly one of an attribute path or an expression; width etc. for fixed width. */
    public record Column(
            String label, String path, String expression, Integer width, Align align, String pad, Overflow overflow) {}

    /** A sort key by column label. */
    public record Sorting(String column, Direction direction) {}

    /** A seed row: values by column label. */
    public record Seed(Map<String, String> values) {}

    /**
     * The whole file definition of a campaign.
     *
     * @param splitBy the label of the column whose value splits a run into one file set per value; null: one set
     * @param splitMaxMb at most this many megabytes (10^6 bytes) per part before compression; null: no cap
     */
    public record Definition(
            String nameTemplate,
            List<Column> columns,
            List<Sorting> sort,
            Integer splitEvery,
            List<String> headerNotes,
            List<String> footerNotes,
            List<Seed> seeds,
            SeedPlacement seedPlacement,
            Format format,
            String folderTemplate,
            String splitBy,
            Integer splitMaxMb) {

        /** Bytes per MB in {@link #splitMaxMb}: decimal, as print houses and file listings count. */
        public static final long MB = 1_000_000L;

        /** A definition that is not split by a field or by size. */
        public Definition(
                String nameTemplate,
                List<Column> columns,
                List<Sorting> sort,
                Integer splitEvery,
                List<String> headerNotes,
                List<String> footerNotes,
                List<Seed> seeds,
                SeedPlacement seedPlacement,
                Format format,
                String folderTemplate) {
            this(
                    nameTemplate,
                    columns,
                    sort,
                    splitEvery,
                    headerNotes,
                    footerNotes,
                    seeds,
                    seedPlacement,
                    format,
                    folderTemplate,
                    null,
                    null);
        }

        /** The size cap in bytes, or null. */
        public Long splitMaxBytes() {
            return splitMaxMb == null ? null : splitMaxMb * MB;
        }
    }
}
