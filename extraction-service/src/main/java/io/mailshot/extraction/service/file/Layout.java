package io.mailshot.extraction.service.file;

import io.mailshot.events.FileFormat;
import io.mailshot.events.FileFormatRules;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link FileFormat} with every default applied and every value checked (the structural characters by
 * {@link FileFormatRules}), so writers never see nulls or bad settings.
 */
public record Layout(
        Type type,
        char delimiter,
        Character quote,
        boolean quoteAll,
        boolean header,
        Encoding encoding,
        boolean rejectUnencodable,
        String lineEnding,
        boolean neutraliseFormulas,
        Compression compression,
        String dateFormat,
        String numberFormat,
        List<String> headerNotes,
        List<String> footerNotes,
        boolean noFileWhenEmpty,
        boolean manifestCsv) {

    /** The file type. */
    public enum Type {
        CSV,
        DELIMITED,
        FIXED_WIDTH
    }

    /** Target encodings. */
    public enum Encoding {
        UTF_8(StandardCharsets.UTF_8),
        UTF_8_BOM(StandardCharsets.UTF_8),
        ISO_8859_1(StandardCharsets.ISO_8859_1),
        WINDOWS_1252(Charset.forName("windows-1252"));

        public final Charset charset;

        Encoding(Charset charset) {
            this.charset = charset;
        }
    }

    /** Compression of each part. */
    public enum Compression {
        NONE(""),
        GZIP(".gz"),
        ZIP(".zip");

        public final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }
    }

    /**
     * Resolves a format; {@code defaultNeutralise} applies when the format does not say.
     *
     * @throws IllegalArgumentException naming the bad setting
     */
    public static Layout of(FileFormat format, boolean defaultNeutralise) {
        FileFormat f = format == null ? FileFormat.defaults() : format;
        Type type = parse(Type.class, "type", f.type(), Type.CSV);
        Encoding encoding = parse(Encoding.class, "encoding", f.encoding(), Encoding.UTF_8);
        // Delimiter, quote, notes: the rule the campaign-service applied when the format was saved, again.
        List<FileFormatRules.Violation> broken = FileFormatRules.check(f, null);
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(describe(broken.get(0)));
        }
        boolean fixedWidth = type == Type.FIXED_WIDTH; // no delimiter and no quote: the rule did not look at them
        char delimiter =
                fixedWidth || f.delimiter() == null ? ',' : f.delimiter().charAt(0);
        Character quote = fixedWidth
                ? null
                : f.quote() == null
                        ? Character.valueOf('"')
                        : f.quote().isEmpty() ? null : f.quote().charAt(0);
        String quoteMode = f.quoteMode() == null ? "MINIMAL" : f.quoteMode();
        if (!quoteMode.equals("MINIMAL") && !quoteMode.equals("ALL")) {
            throw new IllegalArgumentException("format.quoteMode must be MINIMAL or ALL");
        }
        String unencodable = f.unencodable() == null ? "TRANSLITERATE" : f.unencodable();
        if (!unencodable.equals("TRANSLITERATE") && !unencodable.equals("REJECT_ROW")) {
            throw new IllegalArgumentException("format.unencodable must be TRANSLITERATE or REJECT_ROW");
        }
        String lineEnding = switch (f.lineEnding() == null ? "LF" : f.lineEnding()) {
            case "LF" -> "\n";
            case "CRLF" -> "\r\n";
            default -> throw new IllegalArgumentException("format.lineEnding must be LF or CRLF");
        };
        Compression compression = parse(Compression.class, "compression", f.compression(), Compression.NONE);
        String emptyAudience = f.emptyAudience() == null ? "HEADER_ONLY" : f.emptyAudience();
        if (!emptyAudience.equals("HEADER_ONLY") && !emptyAudience.equals("NO_FILE")) {
            throw new IllegalArgumentException("format.emptyAudience must be HEADER_ONLY or NO_FILE");
        }
        List<String> headerNotes = f.headerNotes() == null ? List.of() : List.copyOf(f.headerNotes());
        List<String> footerNotes = f.footerNotes() == null ? List.of() : List.copyOf(f.footerNotes());
        return new Layout(
                type,
                delimiter,
                quote,
                quoteMode.equals("ALL"),
                f.header() == null || f.header(),
                encoding,
                unencodable.equals("REJECT_ROW"),
                lineEnding,
                f.neutraliseFormulas() == null ? defaultNeutralise : f.neutraliseFormulas(),
                compression,
                f.dateFormat(),
                f.numberFormat(),
                headerNotes,
                footerNotes,
                emptyAudience.equals("NO_FILE"),
                Boolean.TRUE.equals(f.manifestCsv()));
    }

    /** A broken rule as a run's reason: the setting, then the sentence. */
    public static String describe(FileFormatRules.Violation violation) {
        return violation.field() + ": " + violation.message();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value, E fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "format." + name + " '" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
