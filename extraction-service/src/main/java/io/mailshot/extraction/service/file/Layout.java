package io.mailshot.extraction.service.file;

import io.mailshot.events.FileFormat;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@link FileFormat} with every default applied and every value checked, so writers never see nulls or
 * bad settings.
 */
public record Layout(Type type, char delimiter, Character quote, boolean quoteAll, boolean header, Encoding encoding,
        boolean rejectUnencodable, String lineEnding, boolean neutraliseFormulas, Compression compression,
        String dateFormat, String numberFormat, List<String> headerNotes, List<String> footerNotes,
        boolean noFileWhenEmpty, boolean manifestCsv) {

    /** The file type. */
    public enum Type {
        CSV, DELIMITED, FIXED_WIDTH
    }

    /** Target encodings. */
    public enum Encoding {
        UTF_8(StandardCharsets.UTF_8), UTF_8_BOM(StandardCharsets.UTF_8), ISO_8859_1(StandardCharsets.ISO_8859_1),
        WINDOWS_1252(Charset.forName("windows-1252"));

        public final Charset charset;

        Encoding(Charset charset) {
            this.charset = charset;
        }
    }

    /** Compression of each part. */
    public enum Compression {
        NONE(""), GZIP(".gz"), ZIP(".zip");

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
        String delimiterText = f.delimiter() == null ? "," : f.delimiter();
        if (delimiterText.length() != 1) {
            throw new IllegalArgumentException("format.delimiter must be exactly one character");
        }
        char delimiter = delimiterText.charAt(0);
        if (type == Type.CSV && delimiter != ',') {
            throw new IllegalArgumentException("format.delimiter of a CSV file is ','; use type DELIMITED for others");
        }
        Character quote;
        if (f.quote() == null) {
            quote = '"';
        } else if (f.quote().isEmpty()) {
            quote = null;
        } else if (f.quote().length() == 1) {
            quote = f.quote().charAt(0);
        } else {
            throw new IllegalArgumentException("format.quote must be one character or empty (no quoting)");
        }
        if (type == Type.CSV && (quote == null || quote != '"')) {
            throw new IllegalArgumentException("format.quote of a CSV file is '\"'; use type DELIMITED for others");
        }
        if (type != Type.FIXED_WIDTH && (delimiter == '\n' || delimiter == '\r' || quote != null && quote == delimiter)) {
            throw new IllegalArgumentException("format.delimiter must not be a line break or the quote character");
        }
        String quoteMode = f.quoteMode() == null ? "MINIMAL" : f.quoteMode();
        if (!quoteMode.equals("MINIMAL") && !quoteMode.equals("ALL")) {
            throw new IllegalArgumentException("format.quoteMode must be MINIMAL or ALL");
        }
        Encoding encoding = parse(Encoding.class, "encoding", f.encoding(), Encoding.UTF_8);
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
        for (String note : concat(headerNotes, footerNotes)) {
            if (note.indexOf('\n') >= 0 || note.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a header or footer note must be a single line");
            }
        }
        return new Layout(type, delimiter, type == Type.FIXED_WIDTH ? null : quote, quoteMode.equals("ALL"),
                f.header() == null || f.header(), encoding, unencodable.equals("REJECT_ROW"), lineEnding,
                f.neutraliseFormulas() == null ? defaultNeutralise : f.neutraliseFormulas(), compression,
                f.dateFormat(), f.numberFormat(), headerNotes, footerNotes, emptyAudience.equals("NO_FILE"),
                Boolean.TRUE.equals(f.manifestCsv()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value, E fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format." + name + " '" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
