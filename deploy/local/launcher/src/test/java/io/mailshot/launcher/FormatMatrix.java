package io.mailshot.launcher;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases of {@link FormatMatrixIT}: every pair of values of format, encoding, compression, encryption, transport
 * and line ending in at least one case ({@link Pairwise}), instead of all 480 combinations.
 */
final class FormatMatrix {

    /** The file layouts: CSV, each delimiter the matrix sends through DELIMITED, and fixed width. */
    enum Format {
        CSV("CSV", ",", "text/csv", ".csv"),
        TAB("DELIMITED", "\t", "text/tab-separated-values", ".tsv"),
        SEMICOLON("DELIMITED", ";", "text/plain", ".txt"),
        PIPE("DELIMITED", "|", "text/plain", ".txt"),
        FIXED_WIDTH("FIXED_WIDTH", null, "text/plain", ".txt");

        final String type;
        final String delimiter;
        final String mediaType;
        final String extension;

        Format(String type, String delimiter, String mediaType, String extension) {
            this.type = type;
            this.delimiter = delimiter;
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    /** The target encodings, with the charset a provider decodes with. */
    enum Encoding {
        UTF_8(StandardCharsets.UTF_8),
        UTF_8_BOM(StandardCharsets.UTF_8),
        ISO_8859_1(StandardCharsets.ISO_8859_1),
        WINDOWS_1252(Charset.forName("windows-1252"));

        final Charset charset;

        Encoding(Charset charset) {
            this.charset = charset;
        }
    }

    enum Transport {
        S3,
        SFTP,
        AZURE
    }

    enum LineEnding {
        LF("\n"),
        CRLF("\r\n");

        final String chars;

        LineEnding(String chars) {
            this.chars = chars;
        }
    }

    /** One campaign of the matrix. */
    record Case(
            int number,
            Format format,
            Encoding encoding,
            boolean gzip,
            boolean pgp,
            Transport transport,
            LineEnding lineEnding) {

        String id() {
            return String.format("case-%02d", number);
        }

        /** The configuration's {@code format}: everything the case varies, the rest at its default. */
        Map<String, Object> formatRequest() {
            Map<String, Object> format = new LinkedHashMap<>();
            format.put("type", this.format.type);
            if (this.format.delimiter != null) {
                format.put("delimiter", this.format.delimiter);
            }
            format.put("encoding", encoding.name());
            format.put("compression", gzip ? "GZIP" : "NONE");
            format.put("lineEnding", lineEnding.name());
            format.put("unencodable", "TRANSLITERATE");
            format.put("neutraliseFormulas", true);
            return format;
        }

        @Override
        public String toString() {
            return String.format(
                    "%s %-11s %-12s %-7s %-6s %-5s %s",
                    id(), format, encoding, gzip ? "gzip" : "plain", pgp ? "pgp" : "-", transport, lineEnding);
        }
    }

    /** The factors in case order, each as its list of values. */
    static final List<List<?>> FACTORS = List.of(
            List.of(Format.values()),
            List.of(Encoding.values()),
            List.of(false, true),
            List.of(false, true),
            List.of(Transport.values()),
            List.of(LineEnding.values()));

    private FormatMatrix() {}

    /** The covering array as cases, numbered from 1. */
    static List<Case> cases() {
        int[] sizes = FACTORS.stream().mapToInt(List::size).toArray();
        List<Case> cases = new ArrayList<>();
        for (int[] row : Pairwise.cover(sizes)) {
            cases.add(new Case(
                    cases.size() + 1,
                    Format.values()[row[0]],
                    Encoding.values()[row[1]],
                    row[2] == 1,
                    row[3] == 1,
                    Transport.values()[row[4]],
                    LineEnding.values()[row[5]]));
        }
        return cases;
    }

    /** A case's values in {@link #FACTORS} order. */
    static List<Object> values(Case c) {
        return List.of(c.format(), c.encoding(), c.gzip(), c.pgp(), c.transport(), c.lineEnding());
    }
}
