package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.FileColumn;
import io.mailshot.events.FileFormat;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SeedRecord;
import io.mailshot.events.SortKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as a receiver reads them: rendered through the real plan, spill and assembler, then read back with
 * independent readers (Commons CSV, a substring reader, gunzip/unzip/iconv programs, java.util.zip).
 */
class FileAssemblerTest {

    private static final List<String> FIELDS = List.of("name", "zip", "note", "city");
    private static final List<FileColumn> COLUMNS =
            List.of(new FileColumn("Name", "name"), new FileColumn("Zip", "zip"), new FileColumn("Note", "note"));
    private static final UUID ROUTING = UUID.randomUUID();

    @TempDir
    Path dir;

    // ---- CSV and delimited ----

    @Test
    void csv_keeps_quotes_delimiters_newlines_emoji_rtl_and_leading_zeros() throws Exception {
        List<List<String>> values = List.of(
                List.of("O'Brien, Jr.", "00123", "say \"hi\""),
                List.of("two\nlines", "0007", "cr\r\nlf"),
                List.of("😀 emoji 👍🏽", "01000", "עברית מימין לשמאל"),
                Arrays.asList("العربية", null, ""));
        Result r = run(spec(COLUMNS, null), values(values));
        assertEquals(1, r.parts.size());
        List<List<String>> rows = csv(r.text(0, StandardCharsets.UTF_8), CSVFormat.RFC4180);
        assertEquals(List.of("Name", "Zip", "Note"), rows.get(0));
        assertEquals(
                List.of(
                        List.of("O'Brien, Jr.", "00123", "say \"hi\""),
                        List.of("two\nlines", "0007", "cr\r\nlf"),
                        List.of("😀 emoji 👍🏽", "01000", "עברית מימין לשמאל"),
                        List.of("العربية", "", "")),
                rows.subList(1, rows.size()));
        assertTrue(r.text(0, StandardCharsets.UTF_8).contains("00123"), "leading zeros are written as text");
    }

    @Test
    void formulas_are_neutralised_by_default_and_kept_when_opted_out() throws Exception {
        List<List<String>> values = List.of(List.of("=HYPERLINK(\"x\")", "+33", "-5"), List.of("@cmd", "\tx", "a=b"));
        List<List<String>> neutral =
                csv(run(spec(COLUMNS, null), values(values)).text(0, StandardCharsets.UTF_8), CSVFormat.RFC4180);
        assertEquals(List.of("'=HYPERLINK(\"x\")", "'+33", "'-5"), neutral.get(1));
        assertEquals(List.of("'@cmd", "'\tx", "a=b"), neutral.get(2));

        FileFormat optOut = new FileFormat(
                null, null, null, null, null, null, null, null, false, null, null, null, null, null, null, null);
        List<List<String>> raw =
                csv(run(spec(COLUMNS, optOut), values(values)).text(0, StandardCharsets.UTF_8), CSVFormat.RFC4180);
        assertEquals(values, raw.subList(1, 3));
    }

    @Test
    void delimited_with_other_delimiter_quote_all_crlf_notes_and_no_header() throws Exception {
        FileFormat format = new FileFormat(
                "DELIMITED",
                ";",
                "'",
                "ALL",
                false,
                null,
                null,
                "CRLF",
                null,
                null,
                null,
                null,
                List.of("# provider batch"),
                List.of("# end"),
                null,
                null);
        List<List<String>> values = List.of(List.of("a;b", "00042", "it's"), List.of("x", "1", "line\nbreak"));
        String text = run(spec(COLUMNS, format), values(values)).text(0, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n", -1);
        assertEquals("# provider batch", lines[0]);
        assertEquals("'a;b';'00042';'it''s'", lines[1], "every field quoted, quote doubled");
        assertTrue(text.endsWith("# end\r\n"), "footer note and final line ending");
        String body = text.substring(text.indexOf("\r\n") + 2, text.lastIndexOf("# end"));
        List<List<String>> rows = csv(
                body,
                CSVFormat.Builder.create()
                        .setDelimiter(';')
                        .setQuote('\'')
                        .setRecordSeparator("\r\n")
                        .get());
        assertEquals(values, rows);
    }

    @Test
    void tab_delimited_without_quoting_writes_plain_values_and_fails_on_a_delimiter_naming_row_and_column()
            throws Exception {
        FileFormat format = new FileFormat(
                "DELIMITED", "\t", "", null, null, null, null, null, null, null, null, null, null, null, null, null);
        String text = run(spec(COLUMNS, format), values(List.of(List.of("Zoë \"Z\"", "0012", "ok"))))
                .text(0, StandardCharsets.UTF_8);
        assertEquals("Name\tZip\tNote\nZoë \"Z\"\t0012\tok\n", text);

        RunPlan plan = plan(spec(COLUMNS, format));
        RowFailure failure = assertThrows(RowFailure.class, () -> plan.render(7, List.of("a\tb", "1", "x")));
        assertEquals(
                "row 7, column 'Name': the value holds the delimiter or a line break, and the format has no quoting",
                failure.getMessage());
        assertThrows(RowFailure.class, () -> plan.render(8, List.of("a", "1", "two\nlines")));
    }

    // ---- fixed width ----

    @Test
    void fixed_width_pads_aligns_truncates_and_rejects_by_column() throws Exception {
        List<FileColumn> columns = List.of(
                new FileColumn("Name", "name", null, 8, null, null, null),
                new FileColumn("Zip", "zip", null, 6, "RIGHT", "0", "REJECT_ROW"),
                new FileColumn("Note", "note", "upper(note)", 5, null, ".", "TRUNCATE"));
        FileFormat format = new FileFormat(
                "FIXED_WIDTH",
                null,
                null,
                null,
                true,
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
        List<List<String>> values = List.of(
                List.of("Łukasz", "123", "hello world"),
                List.of("Al", "1234567", "x"),
                List.of("Émilie-Anne", "00042", "ok"));
        Result r = run(spec(columns, format), values(values));
        String[] lines = r.text(0, StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length - 1, "header + 2 rows, the row whose zip is too long is rejected");
        assertEquals("", lines[lines.length - 1], "ends with a newline");
        for (int i = 0; i < 3; i++) {
            assertEquals(19, lines[i].codePointCount(0, lines[i].length()), "every line is 8+6+5 characters");
        }
        assertEquals(List.of("Name", "Zip", "Note"), fixed(lines[0]));
        assertEquals(List.of("Łukasz", "000123", "HELLO"), fixed(lines[1]));
        assertEquals(List.of("Émilie-A", "000042", "OK"), fixed(lines[2]));
        assertEquals("OK...", lines[2].substring(14, 19), "left-aligned with the column's pad");
        assertEquals(1, r.rejected);
        assertEquals("row 2, column 'Zip': the value is longer than the column width 6", r.rejections.get(0));
    }

    // ---- encodings ----

    @Test
    void latin1_transliterates_what_it_cannot_encode_and_iconv_reads_it_back() throws Exception {
        FileFormat format = new FileFormat(
                null,
                null,
                null,
                null,
                null,
                "ISO_8859_1",
                null,
                "CRLF",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        List<List<String>> values = List.of(
                List.of("Łódź Wałęsa", "00123", "Gödöllő ß Ørsted"),
                List.of("Œuvre Đorđe ı", "1", "😀 “quoted” – ok…"),
                List.of("Zoë Müller", "2", "déjà vu"));
        Result r = run(spec(COLUMNS, format), values(values));
        byte[] bytes = r.bytes(0);
        String viaIconv = iconv(bytes, "ISO-8859-1");
        assertEquals(viaIconv, new String(bytes, StandardCharsets.ISO_8859_1), "iconv and Java agree");
        List<List<String>> rows = csv(viaIconv, CSVFormat.RFC4180);
        assertEquals(List.of("Lódz Walesa", "00123", "Gödöllo ß Ørsted"), rows.get(1));
        assertEquals(List.of("OEuvre Dorde i", "1", "? \"quoted\" - ok..."), rows.get(2));
        assertEquals(List.of("Zoë Müller", "2", "déjà vu"), rows.get(3), "Latin-1 letters are kept");
        assertEquals(4, r.plan.transliterated(), "counted per value");
        assertEquals(0, r.rejected);
    }

    @Test
    void windows1252_keeps_its_extra_characters_and_reject_row_counts_the_rest() throws Exception {
        FileFormat format = new FileFormat(
                null,
                null,
                null,
                null,
                null,
                "WINDOWS_1252",
                "REJECT_ROW",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        List<List<String>> values =
                List.of(List.of("Œuvre “1” €", "1", "ok"), List.of("Wałęsa", "2", "ok"), List.of("Zoë", "3", "ok"));
        Result r = run(spec(COLUMNS, format), values(values));
        List<List<String>> rows = csv(iconv(r.bytes(0), "WINDOWS-1252"), CSVFormat.RFC4180);
        assertEquals(List.of(List.of("Œuvre “1” €", "1", "ok"), List.of("Zoë", "3", "ok")), rows.subList(1, 3));
        assertEquals(1, r.rejected);
        assertEquals("row 2, column 'Name': a character cannot be encoded in WINDOWS_1252", r.rejections.get(0));
        assertEquals(2, r.parts.get(0).rows());
    }

    @Test
    void utf8_bom_starts_with_the_bom_and_decodes_to_the_same_text() throws Exception {
        FileFormat format = new FileFormat(
                null, null, null, null, null, "UTF_8_BOM", null, null, null, null, null, null, null, null, null, null);
        Result r = run(spec(COLUMNS, format), values(List.of(List.of("Kraków", "01", "😀"))));
        byte[] bytes = r.bytes(0);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3));
        assertEquals("\uFEFFName,Zip,Note\nKraków,01,😀\n", iconv(bytes, "UTF-8"));
    }

    // ---- sort, split, seeds ----

    @Test
    void external_sort_is_stable_on_equal_keys_across_spilled_chunks() throws Exception {
        List<List<String>> values = new ArrayList<>();
        String[] cities = {"Paris", "Lyon", "Nice"};
        for (int i = 1; i <= 40; i++) {
            values.add(List.of("n" + i, String.format("%05d", 100 - i % 4), "note", cities[i % 3]));
        }
        List<FileColumn> columns =
                List.of(new FileColumn("Name", "name"), new FileColumn("Zip", "zip"), new FileColumn("City", "city"));
        RunSpec spec = new RunSpec(
                "sorted.csv",
                columns,
                ROUTING,
                "email",
                null,
                List.of(new SortKey("City", null), new SortKey("Zip", "DESC")),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        Result r = run(spec, values, 7); // 40 rows in chunks of 7: six sorted run files merged
        assertEquals(6, r.runFiles);
        List<List<String>> rows = csv(r.text(0, StandardCharsets.UTF_8), CSVFormat.RFC4180);
        List<List<String>> expected = new ArrayList<>();
        for (List<String> v : values) {
            expected.add(List.of(v.get(0), v.get(1), v.get(3)));
        }
        // A stable sort of the input: equal keys keep stream order.
        expected.sort((a, b) -> {
            int c = a.get(2).compareTo(b.get(2));
            return c != 0 ? c : b.get(1).compareTo(a.get(1));
        });
        assertEquals(expected, rows.subList(1, rows.size()));
    }

    @Test
    void split_at_exactly_n_and_n_plus_one_rows_with_seeds_in_every_part() throws Exception {
        RunSpec exact = splitSpec("mail-{part:03}.csv", 3, List.of(seed("SEED A"), seed("SEED B")), "END");
        Result three = run(exact, values(rows(3)));
        assertEquals(List.of("mail-001.csv"), three.names());
        assertEquals(List.of("n1", "n2", "n3", "SEED A", "SEED B"), column0(three, 0));
        assertEquals(3, three.parts.get(0).rows());
        assertEquals(2, three.parts.get(0).seedRows());

        Result four = run(exact, values(rows(4)));
        assertEquals(List.of("mail-001.csv", "mail-002.csv"), four.names());
        assertEquals(List.of("n1", "n2", "n3", "SEED A", "SEED B"), column0(four, 0));
        assertEquals(List.of("n4", "SEED A", "SEED B"), column0(four, 1));
        assertEquals(
                List.of(3L, 1L),
                four.parts.stream().map(FileAssembler.Part::rows).toList());
        assertEquals(
                List.of(2L, 2L),
                four.parts.stream().map(FileAssembler.Part::seedRows).toList());

        Result start = run(splitSpec("mail.csv", 2, List.of(seed("SEED")), "START"), values(rows(3)));
        assertEquals(List.of("mail-part001.csv", "mail-part002.csv"), start.names(), "-partNNN before the extension");
        assertEquals(List.of("SEED", "n1", "n2"), column0(start, 0));
        assertEquals(List.of("SEED", "n3"), column0(start, 1));

        Result plain = run(splitSpec("one-{part}.csv", null, null, null), values(rows(5)));
        assertEquals(List.of("one-1.csv"), plain.names());
    }

    @Test
    void sorted_seeds_take_their_place_in_the_sort_order_of_each_part() throws Exception {
        List<FileColumn> columns = List.of(new FileColumn("Name", "name"), new FileColumn("Zip", "zip"));
        RunSpec spec = new RunSpec(
                "s.csv",
                columns,
                ROUTING,
                "email",
                null,
                List.of(new SortKey("Zip", null)),
                2,
                List.of(new SeedRecord(Map.of("Name", "SEED", "Zip", "00002"))),
                "SORTED",
                null,
                null,
                null,
                null,
                null);
        Result r = run(
                spec,
                List.of(
                        Arrays.asList("a", "00003", null, null),
                        Arrays.asList("b", "00001", null, null),
                        Arrays.asList("c", "00002", null, null)));
        assertEquals(List.of("b", "SEED", "c"), column0(r, 0), "a seed sorts before profiles with its key");
        assertEquals(List.of("SEED", "a"), column0(r, 1));
    }

    @Test
    void an_empty_audience_writes_a_header_only_part_or_no_file_as_configured() throws Exception {
        Result headerOnly = run(splitSpec("empty-{part:02}.csv", 10, List.of(seed("SEED")), null), List.of());
        assertEquals(List.of("empty-01.csv"), headerOnly.names());
        assertEquals("Name,Zip,Note\nSEED,,\n", headerOnly.text(0, StandardCharsets.UTF_8));
        assertEquals(0, headerOnly.parts.get(0).rows());

        FileFormat noFile = new FileFormat(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, "NO_FILE", null);
        Result none = run(
                new RunSpec(
                        "empty.csv",
                        COLUMNS,
                        ROUTING,
                        "email",
                        noFile,
                        null,
                        10,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                List.of());
        assertTrue(none.parts.isEmpty());
    }

    // ---- compression and checksums ----

    @Test
    void gzip_parts_gunzip_to_the_csv_and_their_checksums_match_the_bytes() throws Exception {
        FileFormat gzip = new FileFormat(
                null, null, null, null, null, null, null, null, null, "GZIP", null, null, null, null, null, null);
        Result r = run(
                new RunSpec(
                        "mail-{part}.csv",
                        COLUMNS,
                        ROUTING,
                        "email",
                        gzip,
                        null,
                        2,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                values(rows(3)));
        assertEquals(List.of("mail-1.csv.gz", "mail-2.csv.gz"), r.names());
        for (int i = 0; i < 2; i++) {
            byte[] bytes = r.bytes(i);
            assertEquals(r.parts.get(i).bytes(), bytes.length);
            assertEquals(r.parts.get(i).sha256(), sha256(bytes));
            String text = new String(program(bytes, "gunzip", "-c"), StandardCharsets.UTF_8);
            assertEquals(
                    i == 0 ? "Name,Zip,Note\nn1,00001,note 1\nn2,00002,note 2\n" : "Name,Zip,Note\nn3,00003,note 3\n",
                    text);
        }
    }

    @Test
    void zip_parts_hold_one_entry_named_like_the_file() throws Exception {
        FileFormat zip = new FileFormat(
                null, null, null, null, null, null, null, null, null, "ZIP", null, null, null, null, null, null);
        Result r = run(
                new RunSpec(
                        "mail.csv",
                        COLUMNS,
                        ROUTING,
                        "email",
                        zip,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                values(rows(2)));
        assertEquals(List.of("mail.csv.zip"), r.names());
        assertEquals(sha256(r.bytes(0)), r.parts.get(0).sha256());
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(r.bytes(0)))) {
            ZipEntry entry = in.getNextEntry();
            assertEquals("mail.csv", entry.getName());
            assertEquals(
                    "Name,Zip,Note\nn1,00001,note 1\nn2,00002,note 2\n",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertNull(in.getNextEntry());
        }
        Path file = dir.resolve("check.zip");
        Files.write(file, r.bytes(0));
        assertEquals(
                "Name,Zip,Note\nn1,00001,note 1\nn2,00002,note 2\n",
                new String(program(new byte[0], "unzip", "-p", file.toString()), StandardCharsets.UTF_8));
    }

    @Test
    void bad_settings_are_plan_problems_naming_the_setting() {
        assertEquals(
                "format.delimiter: the delimiter must be exactly one character",
                assertThrows(
                                PlanException.class,
                                () -> plan(spec(
                                        COLUMNS,
                                        new FileFormat(
                                                "DELIMITED",
                                                ";;",
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
                                                null,
                                                null,
                                                null,
                                                null))))
                        .getMessage());
        assertTrue(assertThrows(
                        PlanException.class,
                        () -> plan(new RunSpec(
                                "x.csv",
                                COLUMNS,
                                ROUTING,
                                "email",
                                null,
                                List.of(new SortKey("Nope", null)),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null)))
                .getMessage()
                .contains("'Nope'"));
        assertTrue(assertThrows(
                        PlanException.class,
                        () -> plan(spec(
                                List.of(new FileColumn(
                                        "Greeting", null, "concat('Dear ', shout(name))", null, null, null, null)),
                                null)))
                .getMessage()
                .startsWith("column 'Greeting': expression error at position 16: unknown function 'shout'"));
        assertTrue(assertThrows(
                        PlanException.class,
                        () -> plan(spec(
                                List.of(new FileColumn("Name", "name")),
                                new FileFormat(
                                        "FIXED_WIDTH",
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
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))))
                .getMessage()
                .contains("width"));
        assertFalse(assertThrows(PlanException.class, () -> plan(new RunSpec("{x}.csv", COLUMNS, ROUTING, "email")))
                .getMessage()
                .isEmpty());
    }

    /**
     * The second line of defence behind the campaign-service: a format whose structural characters the encoding
     * cannot write, or that collide, fails the run before a row is rendered, naming the setting.
     */
    @Test
    void structural_characters_the_encoding_cannot_write_or_that_collide_fail_the_plan() {
        FileFormat euroInLatin1 = new FileFormat(
                "DELIMITED",
                "€",
                null,
                null,
                null,
                "ISO_8859_1",
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
        assertEquals(
                "format.delimiter: the delimiter '€' (U+20AC) cannot be written in ISO_8859_1: every line would"
                        + " hold a replacement instead",
                assertThrows(PlanException.class, () -> plan(spec(COLUMNS, euroInLatin1)))
                        .getMessage());
        FileFormat polishNote = new FileFormat(
                "DELIMITED",
                ";",
                null,
                null,
                null,
                "WINDOWS_1252",
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("# Łódź"),
                null,
                null,
                null);
        assertEquals(
                "format.headerNotes[0]: header note 1 holds 'Ł' (U+0141), which WINDOWS_1252 cannot hold",
                assertThrows(PlanException.class, () -> plan(spec(COLUMNS, polishNote)))
                        .getMessage());
        FileFormat quoteIsDelimiter = new FileFormat(
                "DELIMITED", ";", ";", null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertTrue(assertThrows(PlanException.class, () -> plan(spec(COLUMNS, quoteIsDelimiter)))
                .getMessage()
                .startsWith("format.delimiter: the delimiter must not be the quote character"));
        FileFormat unquotedTabs = new FileFormat(
                "DELIMITED", "\t", "", null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertEquals(
                "columns[1].label: the label of column 2 holds the delimiter U+0009, and the format has no quoting",
                assertThrows(
                                PlanException.class,
                                () -> plan(spec(
                                        List.of(new FileColumn("Name", "name"), new FileColumn("Zip\tcode", "zip")),
                                        unquotedTabs)))
                        .getMessage());
        FileFormat fixedLatin1 = new FileFormat(
                "FIXED_WIDTH",
                null,
                null,
                null,
                null,
                "ISO_8859_1",
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
        assertEquals(
                "columns[0].pad: the pad '€' (U+20AC) of column 1 cannot be written in ISO_8859_1",
                assertThrows(
                                PlanException.class,
                                () -> plan(spec(
                                        List.of(new FileColumn("Name", "name", null, 5, null, "€", null)),
                                        fixedLatin1)))
                        .getMessage());
    }

    /**
     * A value that breaks a bound of the expression language rejects its row, counted with a reason that holds no
     * value, and the other rows are written: one stored profile value never fails a run.
     */
    @Test
    void a_value_that_breaks_an_expression_bound_rejects_only_its_row() throws Exception {
        List<FileColumn> columns = List.of(
                new FileColumn("Name", "name"),
                new FileColumn("Amount", null, "formatNumber(zip)", null, null, null, null),
                new FileColumn("Note", null, "concat(note, note)", null, null, null, null));
        List<List<String>> values = List.of(
                List.of("a", "12.50", "x"),
                List.of("b", "1E+999999999", "y"),
                List.of("c", "7", "z".repeat(3000)),
                List.of("d", "0042", "w"));
        Result r = run(spec(columns, null), values(values));
        assertEquals(2, r.rejected);
        assertEquals(
                List.of(
                        "row 2, column 'Amount': expression position 0: formatNumber's value would be longer than"
                                + " 4096 characters",
                        "row 3, column 'Note': expression position 0: concat's value would be longer than"
                                + " 4096 characters"),
                r.rejections);
        assertEquals(
                List.of(List.of("Name", "Amount", "Note"), List.of("a", "12.50", "xx"), List.of("d", "42", "ww")),
                csv(r.text(0, StandardCharsets.UTF_8), CSVFormat.RFC4180));
        assertEquals(2, r.parts.get(0).rows());
    }

    // ---- exact bytes: what the layout rules write, spelled out ----

    @Test
    void csv_records_are_exact_bytes_with_bom_quoting_and_formulas_neutralised_or_kept() throws Exception {
        List<List<String>> values = List.of(
                List.of("=1+2", "a,b", "say \"hi\""),
                List.of(" lead", "two\nlines", "-"),
                Arrays.asList("\tx", "😀 cr\r", null));
        FileFormat neutral = new FileFormat(
                null, null, null, null, null, "UTF_8_BOM", null, null, true, null, null, null, null, null, null, null);
        assertArrayEquals(
                utf8Bom("Name,Zip,Note\n'=1+2,\"a,b\",\"say \"\"hi\"\"\"\n"
                        + "\" lead\",\"two\nlines\",'-\n'\tx,\"😀 cr\r\",\n"),
                run(spec(COLUMNS, neutral), values(values)).bytes(0));
        FileFormat kept = new FileFormat(
                null, null, null, null, null, "UTF_8_BOM", null, null, false, null, null, null, null, null, null, null);
        assertArrayEquals(
                utf8Bom("Name,Zip,Note\n=1+2,\"a,b\",\"say \"\"hi\"\"\"\n"
                        + "\" lead\",\"two\nlines\",-\n\"\tx\",\"😀 cr\r\",\n"),
                run(spec(COLUMNS, kept), values(values)).bytes(0));
    }

    @Test
    void windows1252_delimited_with_a_non_ascii_delimiter_is_encoded_as_the_charset_spells_it() throws Exception {
        FileFormat format = new FileFormat(
                "DELIMITED",
                "§",
                "'",
                null,
                false,
                "WINDOWS_1252",
                null,
                "CRLF",
                null,
                null,
                null,
                null,
                List.of("# Köln"),
                List.of("# fin €"),
                null,
                null);
        List<List<String>> values = List.of(List.of("Œuvre § 1", "€5", "Łódź"), List.of("it's", "0042", "ok"));
        String expected = "# Köln\r\n'Œuvre § 1'§€5§Lódz\r\n'it''s'§0042§ok\r\n# fin €\r\n";
        assertArrayEquals(
                expected.getBytes(Charset.forName("windows-1252")),
                run(spec(COLUMNS, format), values(values)).bytes(0));
    }

    @Test
    void latin1_fixed_width_with_crlf_alignment_and_pads_is_exact_bytes() throws Exception {
        List<FileColumn> columns = List.of(
                new FileColumn("Name", "name", null, 8, null, null, null),
                new FileColumn("Zip", "zip", null, 6, "RIGHT", "0", null),
                new FileColumn("Note", "note", null, 5, null, ".", null));
        FileFormat format = new FileFormat(
                "FIXED_WIDTH",
                null,
                null,
                null,
                true,
                "ISO_8859_1",
                null,
                "CRLF",
                null,
                null,
                null,
                null,
                List.of("HDR"),
                null,
                null,
                null);
        List<List<String>> values = List.of(List.of("Zoë", "123", "ok"), List.of("Łukasz", "42", "déjà vu"));
        String expected = "HDR\r\nName       ZipNote \r\nZoë     000123ok...\r\nLukasz  000042déjà \r\n";
        assertArrayEquals(
                expected.getBytes(StandardCharsets.ISO_8859_1),
                run(spec(columns, format), values(values)).bytes(0));
    }

    @Test
    void utf8_fixed_width_writes_an_unpaired_surrogate_as_the_encoders_replacement() throws Exception {
        List<FileColumn> columns = List.of(
                new FileColumn("Name", "name", null, 4, null, null, null),
                new FileColumn("Zip", "zip", null, 3, "RIGHT", "😀", null));
        FileFormat format = new FileFormat(
                "FIXED_WIDTH",
                null,
                null,
                null,
                false,
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
        assertArrayEquals(
                "a?b 😀😀1\n".getBytes(StandardCharsets.UTF_8),
                run(spec(columns, format), values(List.of(List.of("a\uD800b", "1", ""))))
                        .bytes(0));
    }

    @Test
    void a_sorted_run_spilled_in_many_chunks_splits_mid_run_with_its_seeds_in_place() throws Exception {
        RunSpec spec = new RunSpec(
                "s-{part}.csv",
                COLUMNS,
                ROUTING,
                "email",
                null,
                List.of(new SortKey("Zip", null), new SortKey("Name", "DESC")),
                3,
                List.of(new SeedRecord(Map.of("Name", "S", "Zip", "00002"))),
                "SORTED",
                null,
                null,
                null,
                null,
                null);
        List<List<String>> values = new ArrayList<>();
        for (String[] row : new String[][] {
            {"a", "00003"}, {"b", "00001"}, {"c", "00002"}, {"d", "00001"}, {"e", "00002"}, {"f", "00003"}, {"g", ""}
        }) {
            values.add(List.of(row[0], row[1], "n" + row[0]));
        }
        // Two rows a chunk: four run files merged.
        Result r = run(spec, values(values), 2);
        assertEquals(4, r.runFiles);
        assertEquals(List.of("s-1.csv", "s-2.csv", "s-3.csv"), r.names());
        // Zip ascending (empty first), then Name descending ('S' sorts below lower case), then stream order.
        assertEquals("Name,Zip,Note\ng,,ng\nd,00001,nd\nb,00001,nb\nS,00002,\n", r.text(0, StandardCharsets.UTF_8));
        assertEquals(
                "Name,Zip,Note\ne,00002,ne\nc,00002,nc\nS,00002,\nf,00003,nf\n", r.text(1, StandardCharsets.UTF_8));
        assertEquals("Name,Zip,Note\nS,00002,\na,00003,na\n", r.text(2, StandardCharsets.UTF_8));
        assertEquals(
                List.of(3L, 3L, 1L),
                r.parts.stream().map(FileAssembler.Part::rows).toList());
    }

    @Test
    void a_split_by_field_spilled_in_many_chunks_groups_each_value_with_sorted_seeds_in_every_part() throws Exception {
        // Column "Note" splits; "Zip" sorts; chunks of 3 rows force the merge to regroup the values.
        RunSpec spec = new RunSpec(
                "m-{split}-{part:02}.csv",
                COLUMNS,
                ROUTING,
                "email",
                null,
                List.of(new SortKey("Zip", "ASC")),
                2,
                List.of(new SeedRecord(Map.of("Name", "SEED", "Zip", "00050", "Note", "b"))),
                "SORTED",
                FIELDS,
                null,
                null,
                null,
                null,
                null,
                null,
                "Note",
                null);
        List<List<String>> values = new ArrayList<>();
        String[] notes = {"b", "a", "", "b", "a", "b", "b"};
        for (int i = 0; i < notes.length; i++) {
            values.add(
                    Arrays.asList("n" + i, String.format("%05d", 100 - 10 * i), notes[i].isEmpty() ? null : notes[i]));
        }
        Result r = run(spec, values(values), 3);
        assertEquals(
                List.of("m-_empty-01.csv", "m-a-01.csv", "m-b-01.csv", "m-b-02.csv"),
                r.names(),
                "sets in value order (the empty value first), each numbered on its own");
        assertEquals(
                Arrays.asList("", "a", "b", "b"),
                r.parts.stream().map(FileAssembler.Part::splitValue).toList());
        assertEquals(
                List.of(1, 1, 1, 2),
                r.parts.stream().map(FileAssembler.Part::number).toList());
        // The seed (zip 00050) in every part, at its place by zip within the part; before a profile of equal zip.
        assertEquals(List.of("SEED", "n2"), column0(r, 0));
        assertEquals(List.of("SEED", "n4", "n1"), column0(r, 1));
        assertEquals(List.of("n6", "SEED", "n5"), column0(r, 2));
        assertEquals(List.of("SEED", "n3", "n0"), column0(r, 3));
    }

    @Test
    void a_size_cap_counts_header_and_seeds_and_lets_one_oversized_row_have_its_own_part() throws Exception {
        RunSpec spec = new RunSpec(
                "s.csv",
                COLUMNS,
                ROUTING,
                "email",
                null,
                null,
                null,
                List.of(seed("SEED")),
                "END",
                FIELDS,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                40L);
        List<List<String>> values = List.of(
                List.of("a", "1", "x"),
                List.of("b", "2", "x"),
                List.of("c".repeat(50), "3", "x"),
                List.of("d", "4", "x"));
        Result r = run(spec, values(values));
        assertEquals(List.of("s-part001.csv", "s-part002.csv", "s-part003.csv"), r.names());
        assertEquals(List.of("a", "b", "SEED"), column0(r, 0));
        assertEquals(List.of("c".repeat(50), "SEED"), column0(r, 1), "one row alone passes the cap: its own part");
        assertEquals(List.of("d", "SEED"), column0(r, 2));
        for (int i = 0; i < 3; i++) {
            assertEquals(r.bytes(i).length, r.parts.get(i).bytes());
            assertTrue(i == 1 || r.bytes(i).length <= 40, "part " + (i + 1) + ": " + r.bytes(i).length + " bytes");
        }
    }

    private static byte[] utf8Bom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    // ---- helpers ----

    private static RunSpec spec(List<FileColumn> columns, FileFormat format) {
        return new RunSpec(
                "file.csv", columns, ROUTING, "email", format, null, null, null, null, null, null, null, null, null);
    }

    private static RunSpec splitSpec(String name, Integer every, List<SeedRecord> seeds, String placement) {
        return new RunSpec(
                name, COLUMNS, ROUTING, "email", null, null, every, seeds, placement, null, null, null, null, null);
    }

    private static SeedRecord seed(String name) {
        return new SeedRecord(Map.of("Name", name));
    }

    private static List<List<String>> rows(int n) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            rows.add(List.of("n" + i, String.format("%05d", i), "note " + i));
        }
        return rows;
    }

    /** Aligns 3-column test rows with FIELDS (city missing). */
    private static List<List<String>> values(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> r : rows) {
            List<String> v = new ArrayList<>(r);
            v.add(null);
            out.add(v);
        }
        return out;
    }

    private static RunPlan plan(RunSpec spec) throws PlanException {
        return RunPlan.of(spec, FIELDS, "Spring", "c-1", "r-1", LocalDate.of(2026, 3, 1), true);
    }

    private Result run(RunSpec spec, List<List<String>> values) throws Exception {
        return run(spec, values, 1000);
    }

    private Result run(RunSpec spec, List<List<String>> values, int chunkRows) throws Exception {
        RunPlan plan = plan(spec);
        Path work = Files.createTempDirectory(dir, "run");
        Result result = new Result(plan, work);
        try (RowSpill spill = new RowSpill(work.resolve("spill"), plan.order(), chunkRows)) {
            long seq = 0;
            for (List<String> v : values) {
                seq++;
                String[] cells = plan.render(seq, v);
                if (cells == null) {
                    result.rejected++;
                    result.rejections.add(plan.rejection());
                } else {
                    spill.append(plan.row(seq, cells));
                }
            }
            try (RowSpill.RowIterator rows = spill.read()) {
                result.runFiles = spill.runFiles();
                result.parts =
                        FileAssembler.write(plan, rows, (n, name) -> Files.newOutputStream(work.resolve(name)), true);
            }
        }
        return result;
    }

    /** What a run produced. */
    private static final class Result {
        final RunPlan plan;
        final Path work;
        List<FileAssembler.Part> parts;
        long rejected;
        List<String> rejections = new ArrayList<>();
        int runFiles;

        Result(RunPlan plan, Path work) {
            this.plan = plan;
            this.work = work;
        }

        List<String> names() {
            return parts.stream().map(FileAssembler.Part::name).toList();
        }

        byte[] bytes(int part) throws IOException {
            return Files.readAllBytes(work.resolve(parts.get(part).name()));
        }

        String text(int part, Charset charset) throws IOException {
            String text = new String(bytes(part), charset);
            assertTrue(text.endsWith("\n"), "every file ends with a newline");
            return text;
        }
    }

    private static List<String> column0(Result r, int part) throws Exception {
        List<List<String>> rows = csv(r.text(part, StandardCharsets.UTF_8), CSVFormat.RFC4180);
        return rows.subList(1, rows.size()).stream().map(row -> row.get(0)).toList();
    }

    /** A plain width-based reader: 8, 6 and 5 characters, trailing pad removed. */
    private static List<String> fixed(String line) {
        int[] widths = {8, 6, 5};
        List<String> out = new ArrayList<>();
        int at = 0;
        for (int w : widths) {
            int end = line.offsetByCodePoints(at, w);
            out.add(line.substring(at, end).strip().replaceAll("\\.+$", ""));
            at = end;
        }
        return out;
    }

    private static List<List<String>> csv(String text, CSVFormat format) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
        }
        return rows;
    }

    private static String iconv(byte[] bytes, String from) throws Exception {
        return new String(program(bytes, "iconv", "-f", from, "-t", "UTF-8"), StandardCharsets.UTF_8);
    }

    /** Runs an independent program with {@code input} on stdin; returns its stdout. */
    private static byte[] program(byte[] input, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input);
            }
            byte[] out;
            try (InputStream stdout = process.getInputStream()) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stdout.transferTo(buffer);
                out = buffer.toByteArray();
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), command[0] + " finished");
            assertEquals(0, process.exitValue(), command[0] + " exit code");
            return out;
        } finally {
            process.destroyForcibly();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
