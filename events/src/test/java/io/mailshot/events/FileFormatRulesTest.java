package io.mailshot.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file-format rule both services apply: one case per structural character and per collision. */
class FileFormatRulesTest {

    private static FileFormat format(
            String type,
            String delimiter,
            String quote,
            String encoding,
            List<String> headerNotes,
            List<String> footerNotes) {
        return new FileFormat(
                type,
                delimiter,
                quote,
                null,
                null,
                encoding,
                null,
                null,
                null,
                null,
                null,
                null,
                headerNotes,
                footerNotes,
                null,
                null);
    }

    private static FileFormat delimited(String delimiter, String quote, String encoding) {
        return format("DELIMITED", delimiter, quote, encoding, null, null);
    }

    /** The only broken rule, as field / rule / against. */
    private static String only(FileFormat format, List<FileColumn> columns) {
        List<FileFormatRules.Violation> found = FileFormatRules.check(format, columns);
        assertEquals(1, found.size(), found.toString());
        FileFormatRules.Violation v = found.get(0);
        return v.field() + " " + v.rule() + " " + v.against();
    }

    @Test
    void defaults_and_ordinary_formats_pass() {
        assertEquals(List.of(), FileFormatRules.check(null, null));
        assertEquals(List.of(), FileFormatRules.check(FileFormat.defaults(), List.of(new FileColumn("Name", "a"))));
        assertEquals(List.of(), FileFormatRules.check(delimited(";", "", "ISO_8859_1"), null));
        assertEquals(List.of(), FileFormatRules.check(delimited("\t", null, "UTF_8_BOM"), null));
        assertEquals(List.of(), FileFormatRules.check(delimited("€", "'", "WINDOWS_1252"), null), "1252 has €");
        assertEquals(
                List.of(),
                FileFormatRules.check(delimited("😀", null, "UTF_8"), null).stream()
                        .filter(v -> v.rule().equals("encodable"))
                        .toList(),
                "a pair is one character to UTF-8");
        assertEquals(
                List.of(),
                FileFormatRules.check(
                        format("FIXED_WIDTH", "ignored", "ignored", "ISO_8859_1", List.of("HDR é"), null),
                        List.of(new FileColumn("Zip", "a", null, 5, "RIGHT", "0", null))));
    }

    @Test
    void a_delimiter_the_encoding_cannot_write_is_refused() {
        FileFormatRules.Violation v =
                FileFormatRules.check(delimited("€", null, "ISO_8859_1"), null).get(0);
        assertEquals("format.delimiter", v.field());
        assertEquals("encodable", v.rule());
        assertEquals("encoding", v.against());
        assertEquals(
                "the delimiter '€' (U+20AC) cannot be written in ISO_8859_1: every line would hold a replacement"
                        + " instead",
                v.message());
        assertEquals(
                "format.delimiter encodable encoding",
                only(delimited("\uD800", null, "UTF_8"), null),
                "an unpaired surrogate cannot be written in any encoding");
        assertTrue(
                FileFormatRules.check(delimited("\uD800", null, "UTF_8"), null)
                        .get(0)
                        .message()
                        .contains("U+D800"),
                "an invisible character is named by its code point");
    }

    @Test
    void a_quote_the_encoding_cannot_write_is_refused() {
        assertEquals("format.quote encodable encoding", only(delimited(";", "„", "ISO_8859_1"), null));
    }

    @Test
    void a_delimiter_or_quote_that_is_a_line_break_collides_with_the_line_ending() {
        assertEquals("format.delimiter distinct lineEnding", only(delimited("\n", null, null), null));
        assertEquals("format.delimiter distinct lineEnding", only(delimited("\r", null, null), null));
        assertEquals("format.quote distinct lineEnding", only(delimited(";", "\r", null), null));
    }

    @Test
    void a_delimiter_that_is_the_quote_is_refused() {
        assertEquals("format.delimiter distinct quote", only(delimited("'", "'", null), null));
    }

    @Test
    void an_apostrophe_delimiter_without_quoting_collides_with_formula_neutralising() {
        assertEquals("format.delimiter distinct neutraliseFormulas", only(delimited("'", "", null), null));
        FileFormat off = new FileFormat(
                "DELIMITED", "'", "", null, null, null, null, null, false, null, null, null, null, null, null, null);
        assertEquals(List.of(), FileFormatRules.check(off, null), "fine once neutralising is off");
        assertEquals(List.of(), FileFormatRules.check(delimited("'", "\"", null), null), "fine with quoting");
    }

    @Test
    void shapes_are_single_characters_and_csv_is_rfc_4180() {
        assertEquals("format.delimiter single-character null", only(delimited(";;", null, null), null));
        assertEquals("format.delimiter single-character null", only(delimited("", null, null), null));
        assertEquals("format.quote single-character null", only(delimited(";", "''", null), null));
        assertEquals("format.delimiter csv type", only(format("CSV", ";", null, null, null, null), null));
        assertEquals("format.quote csv type", only(format(null, null, "'", null, null, null), null));
    }

    @Test
    void notes_must_be_single_lines_the_encoding_can_write() {
        assertEquals(
                "format.headerNotes[1] encodable encoding",
                only(format(null, null, null, "WINDOWS_1252", List.of("ok", "# Łódź"), null), null));
        assertEquals(
                "format.footerNotes[0] single-line null",
                only(format(null, null, null, null, null, List.of("two\nlines")), null));
        assertEquals(
                "format.footerNotes[0] single-line null",
                only(format(null, null, null, null, null, List.of("cr\r")), null));
        assertEquals(
                "format.headerNotes[0] not-null null",
                only(format(null, null, null, null, Arrays.asList((String) null), null), null));
    }

    @Test
    void header_labels_must_be_single_lines_the_encoding_can_write_without_an_unquoted_delimiter() {
        assertEquals(
                "columns[1].label encodable encoding",
                only(
                        format(null, null, null, "ISO_8859_1", null, null),
                        List.of(new FileColumn("Name", "a"), new FileColumn("Prix €", "b"))));
        assertEquals("columns[0].label single-line null", only(null, List.of(new FileColumn("Two\nlines", "a"))));
        assertEquals(
                "columns[0].label distinct quote", only(delimited("|", "", null), List.of(new FileColumn("a|b", "a"))));
        assertEquals(
                List.of(),
                FileFormatRules.check(delimited("|", "\"", null), List.of(new FileColumn("a|b", "a"))),
                "quoted, a label may hold the delimiter");
        FileFormat noHeader = new FileFormat(
                null,
                null,
                null,
                null,
                false,
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
                List.of(),
                FileFormatRules.check(noHeader, List.of(new FileColumn("Prix €", "b"))),
                "labels that are not written are not checked");
    }

    @Test
    void fixed_width_pads_are_one_character_the_encoding_can_write_and_no_line_break() {
        FileFormat latin1 = format("FIXED_WIDTH", null, null, "ISO_8859_1", null, null);
        assertEquals(
                "columns[0].pad encodable encoding",
                only(latin1, List.of(new FileColumn("A", "a", null, 3, null, "€", null))));
        assertEquals(
                "columns[0].pad single-character null",
                only(latin1, List.of(new FileColumn("A", "a", null, 3, null, "ab", null))));
        assertEquals(
                "columns[0].pad distinct lineEnding",
                only(latin1, List.of(new FileColumn("A", "a", null, 3, null, "\n", null))));
        assertEquals(
                List.of(),
                FileFormatRules.check(
                        format("FIXED_WIDTH", null, null, null, null, null),
                        List.of(new FileColumn("A", "a", null, 3, null, "😀", null))),
                "a pair is one character");
    }

    @Test
    void every_violation_is_reported_in_a_stable_order() {
        FileFormat bad = format("DELIMITED", "€", "€", "ISO_8859_1", List.of("Ł"), List.of("a\nb"));
        List<String> fields = FileFormatRules.check(bad, List.of(new FileColumn("€", "a"))).stream()
                .map(v -> v.field() + " " + v.rule())
                .toList();
        assertEquals(
                List.of(
                        "format.delimiter encodable",
                        "format.delimiter distinct",
                        "format.quote encodable",
                        "format.headerNotes[0] encodable",
                        "format.footerNotes[0] single-line",
                        "columns[0].label encodable"),
                fields);
    }
}
