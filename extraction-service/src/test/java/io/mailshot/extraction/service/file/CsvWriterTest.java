package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The CSV writer's output, read back with an independent RFC 4180 parser (Apache Commons CSV). */
class CsvWriterTest {

    @Test
    void tricky_values_round_trip_through_an_rfc4180_parser() throws IOException {
        List<List<String>> rows = List.of(
                List.of("plain", "with,comma", "with \"quotes\"", "\"", ","),
                List.of("line\nbreak", "carriage\rreturn", "crlf\r\nend", "", "x"),
                List.of("emoji 😀👍🏽", "עברית מימין לשמאל", "العربية", "日本語", "ß"),
                List.of("00123", "0", "007", "0.50", "+0"),
                List.of(" leading", "trailing ", " both ", "   ", "a b"));
        String csv = write(rows, false);

        List<List<String>> parsed = parse(csv);
        assertEquals(rows.size(), parsed.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i), parsed.get(i), "row " + i);
        }
        assertTrue(csv.endsWith("\n"));
        assertTrue(csv.contains("00123,0,007"), "leading zeros are written verbatim, unquoted");
    }

    @Test
    void quotes_only_when_needed_and_doubles_embedded_quotes() throws IOException {
        String csv = write(List.of(List.of("a", "b c", "d,e", "say \"hi\"", "x\ny", " pad")), false);
        assertEquals("a,b c,\"d,e\",\"say \"\"hi\"\"\",\"x\ny\",\" pad\"\n", csv);
    }

    @Test
    void null_is_an_empty_field() throws IOException {
        String csv = write(List.of(Arrays.asList("a", null, "c"), Arrays.asList(null, null, null)), false);
        assertEquals("a,,c\n,,\n", csv);
        assertEquals(List.of(List.of("a", "", "c"), List.of("", "", "")), parse(csv));
    }

    @Test
    void formula_starts_are_neutralised_when_enabled() throws IOException {
        List<String> row = List.of("=SUM(A1:A9)", "+33 6 12", "-12", "@cmd", "\tTAB", "\rCR", "safe=1", "a-b");
        List<String> parsed = parse(write(List.of(row), true)).get(0);
        assertEquals(List.of("'=SUM(A1:A9)", "'+33 6 12", "'-12", "'@cmd", "'\tTAB", "'\rCR", "safe=1", "a-b"), parsed);
    }

    @Test
    void formula_starts_are_kept_when_disabled() throws IOException {
        List<String> row = List.of("=SUM(A1:A9)", "+33", "-12", "@cmd", "\tTAB", "\rCR");
        assertEquals(row, parse(write(List.of(row), false)).get(0));
    }

    @Test
    void output_is_utf8_and_every_record_ends_with_lf() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter writer = new CsvWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true)) {
            writer.record("name", "city");
            writer.record("Zoë", "Kraków");
        }
        assertEquals("name,city\nZoë,Kraków\n", bytes.toString(StandardCharsets.UTF_8));
        assertEquals(0, countCr(bytes.toByteArray()));
    }

    @Test
    void long_values_larger_than_the_buffer_are_written_whole() throws IOException {
        String big = "x".repeat(100_000);
        String quoted = "a,\"" + "y".repeat(50_000);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(List.of(big, quoted, String.valueOf(i)));
        }
        assertEquals(rows, parse(write(rows, true)));
    }

    private static long countCr(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) {
            if (b == '\r') {
                n++;
            }
        }
        return n;
    }

    private static String write(List<List<String>> rows, boolean neutralise) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter writer = new CsvWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), neutralise)) {
            for (List<String> row : rows) {
                writer.record(row);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<List<String>> parse(String csv) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.RFC4180)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
        }
        return rows;
    }
}
