package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The writer's bytes, compared with those of the writer as it was before it encoded UTF-8 itself (a frozen
 * copy below, behind the JDK's {@link OutputStreamWriter}), on random values made of the characters that
 * matter: separators, quotes, CR/LF, formula starts, accents, 2-, 3- and 4-byte UTF-8, unpaired
 * surrogates, empty and null fields, values longer than the buffers.
 */
class CsvWriterBytesTest {

    /** Characters values are drawn from; the emoji is a surrogate pair, the two after it unpaired halves. */
    private static final String[] PIECES = {
        "a",
        "Z",
        "0",
        "7",
        " ",
        "\t",
        ",",
        ";",
        "|",
        "\"",
        "'",
        "\n",
        "\r",
        "\r\n",
        "=",
        "+",
        "-",
        "@",
        "é",
        "ß",
        "Ł",
        "ë",
        "\u00A0",
        "\u007F",
        "\u0080",
        "\u07FF",
        "\u0800",
        "€",
        "日本",
        "\uFFFD",
        "\uFFFF",
        "\u0000",
        "😀",
        "👍🏽",
        "\uD83D",
        "\uDE00",
        "§",
        "«",
        "\uD83D\uD83D\uDE00"
    };

    /** A format the writer supports: delimiter, quote (null: none), quote all, line ending. */
    private record Format(char delimiter, Character quote, boolean quoteAll, String lineEnding) {}

    private static final List<Format> FORMATS = List.of(
            new Format(',', '"', false, "\n"),
            new Format(',', '"', true, "\r\n"),
            new Format(';', '\'', false, "\n"),
            new Format('|', null, false, "\n"),
            new Format('\t', '"', false, "\r\n"),
            new Format('§', '«', false, "\n"),
            new Format('€', '"', true, "\n"),
            // Surrogate separators pair with a neighbouring value's half: these keep the JDK encoder.
            new Format('\uDE00', '"', false, "\n"),
            new Format(',', '\uD83D', false, "\n"));

    @Test
    void utf8_bytes_equal_the_jdk_encoders_on_random_values() throws IOException {
        Random random = new Random(20260407);
        for (Format format : FORMATS) {
            for (boolean neutralise : new boolean[] {false, true}) {
                List<List<String>> rows = randomRows(random, 4000);
                assertSameBytes(format, neutralise, rows, StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void other_charsets_give_the_bytes_they_gave_before() throws IOException {
        Random random = new Random(7);
        for (Charset charset : List.of(StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"))) {
            for (Format format : FORMATS) {
                assertSameBytes(format, true, randomRows(random, 500), charset);
            }
        }
    }

    @Test
    void values_longer_than_the_buffer_and_quotes_to_double() throws IOException {
        Random random = new Random(42);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<String> row = new ArrayList<>();
            row.add(randomValue(random, 20_000 + random.nextInt(50_000)));
            row.add("x".repeat(21_839 + i) + (i % 2 == 0 ? "é😀" : "\""));
            row.add("=" + "日".repeat(30_000) + "\uD83D");
            rows.add(row);
        }
        for (Format format : FORMATS) {
            assertSameBytes(format, true, rows, StandardCharsets.UTF_8);
        }
    }

    @Test
    void quoting_neutralising_and_encoding_by_example() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter writer = new CsvWriter(bytes, StandardCharsets.UTF_8, ',', '"', false, "\n", true)) {
            writer.record("Zoë", "a,b", "=1+1", "-\"x\"", " lead", "😀", "\uD83Dx", "", null);
        }
        assertEquals("Zoë,\"a,b\",'=1+1,\"'-\"\"x\"\"\",\" lead\",😀,?x,,\n", bytes.toString(StandardCharsets.UTF_8));
    }

    private static void assertSameBytes(Format format, boolean neutralise, List<List<String>> rows, Charset charset)
            throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (ReferenceWriter reference = new ReferenceWriter(
                new OutputStreamWriter(expected, charset),
                format.delimiter(),
                format.quote(),
                format.quoteAll(),
                format.lineEnding(),
                neutralise)) {
            reference.line("note: " + rows.get(0).get(0));
            for (List<String> row : rows) {
                reference.record(row);
            }
        }
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        try (CsvWriter writer = new CsvWriter(
                actual,
                charset,
                format.delimiter(),
                format.quote(),
                format.quoteAll(),
                format.lineEnding(),
                neutralise)) {
            writer.line("note: " + rows.get(0).get(0));
            for (List<String> row : rows) {
                writer.record(row);
            }
        }
        String what = format + " neutralise=" + neutralise + " " + charset;
        assertArrayEquals(expected.toByteArray(), actual.toByteArray(), what);

        // The character path (a Writer) still writes what it wrote.
        ByteArrayOutputStream viaWriter = new ByteArrayOutputStream();
        try (CsvWriter writer = new CsvWriter(
                new OutputStreamWriter(viaWriter, charset),
                format.delimiter(),
                format.quote(),
                format.quoteAll(),
                format.lineEnding(),
                neutralise)) {
            writer.line("note: " + rows.get(0).get(0));
            for (List<String> row : rows) {
                writer.record(row);
            }
        }
        assertArrayEquals(expected.toByteArray(), viaWriter.toByteArray(), what + " via a Writer");
    }

    private static List<List<String>> randomRows(Random random, int count) {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            int fields = 1 + random.nextInt(12);
            List<String> row = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                int kind = random.nextInt(10);
                row.add(
                        kind == 0
                                ? null
                                : kind == 1 ? "" : randomValue(random, 1 + random.nextInt(kind < 8 ? 12 : 80)));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String randomValue(Random random, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            // Mostly plain letters, like real data, so the ASCII path is exercised next to the rest.
            b.append(
                    random.nextInt(3) == 0
                            ? PIECES[random.nextInt(PIECES.length)]
                            : "abcdefgh".charAt(random.nextInt(8)));
        }
        return b.toString();
    }

    /** The writer before it encoded UTF-8 itself (commit 3ca6340), kept as the reference for its bytes. */
    private static final class ReferenceWriter implements AutoCloseable {
        private static final int BUFFER = 16 * 1024;
        private final Writer out;
        private final boolean neutraliseFormulas;
        private final char delimiter;
        private final char quote;
        private final boolean quoting;
        private final boolean quoteAll;
        private final String lineEnding;
        private final char[] buffer = new char[BUFFER];
        private int used;
        private boolean firstField = true;

        ReferenceWriter(
                Writer out,
                char delimiter,
                Character quote,
                boolean quoteAll,
                String lineEnding,
                boolean neutraliseFormulas) {
            this.out = out;
            this.delimiter = delimiter;
            this.quoting = quote != null;
            this.quote = quote == null ? 0 : quote;
            this.quoteAll = quoteAll && quote != null;
            this.lineEnding = lineEnding;
            this.neutraliseFormulas = neutraliseFormulas;
        }

        void record(List<String> values) throws IOException {
            for (String value : values) {
                field(value);
            }
            endRecord();
        }

        void field(String value) throws IOException {
            if (!firstField) {
                put(delimiter);
            }
            firstField = false;
            if (value == null) {
                return;
            }
            if (value.isEmpty()) {
                if (quoteAll) {
                    put(quote);
                    put(quote);
                }
                return;
            }
            boolean neutralise = neutraliseFormulas && isFormulaStart(value.charAt(0));
            if (quoting && (quoteAll || needsQuotes(value))) {
                put(quote);
                if (neutralise) {
                    put('\'');
                }
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == quote) {
                        put(quote);
                    }
                    put(c);
                }
                put(quote);
            } else {
                if (neutralise) {
                    put('\'');
                }
                put(value);
            }
        }

        void endRecord() throws IOException {
            put(lineEnding);
            firstField = true;
        }

        void line(String text) throws IOException {
            put(text);
            endRecord();
        }

        @Override
        public void close() throws IOException {
            drain();
            out.close();
        }

        private static boolean isFormulaStart(char c) {
            return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        }

        private boolean needsQuotes(String value) {
            int length = value.length();
            char first = value.charAt(0);
            char last = value.charAt(length - 1);
            if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
                return true;
            }
            for (int i = 0; i < length; i++) {
                char c = value.charAt(i);
                if (c == delimiter || c == quote || c == '\n' || c == '\r') {
                    return true;
                }
            }
            return false;
        }

        private void put(char c) throws IOException {
            if (used == BUFFER) {
                drain();
            }
            buffer[used++] = c;
        }

        private void put(String s) throws IOException {
            int length = s.length();
            if (length > BUFFER - used) {
                drain();
                if (length > BUFFER) {
                    out.write(s);
                    return;
                }
            }
            s.getChars(0, length, buffer, used);
            used += length;
        }

        private void drain() throws IOException {
            if (used > 0) {
                out.write(buffer, 0, used);
                used = 0;
            }
        }
    }
}
