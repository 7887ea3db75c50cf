package io.mailshot.audience.service.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

    private static CsvRecords csv(String text, char delimiter, int max) {
        return csv(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, delimiter, max);
    }

    private static CsvRecords csv(byte[] bytes, Charset charset, char delimiter, int max) {
        return new CsvRecords(new StrictDecoder(new ByteArrayInputStream(bytes), charset), delimiter, max);
    }

    @Test
    void rfc4180() throws Exception {
        CsvRecords r = csv(("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n" + "\n1,,3\r4,5,6"), ',', 100);
        assertTrue(r.next());
        assertEquals(List.of("a", "b", "c"), r.fields());
        assertEquals(1, r.startLine());
        assertTrue(r.next());
        assertEquals(List.of("x, y", "say \"hi\"", "two\nlines"), r.fields());
        assertEquals(2, r.startLine());
        assertTrue(r.next());
        assertTrue(r.blank());
        assertEquals(4, r.startLine());
        assertTrue(r.next());
        assertEquals(List.of("1", "", "3"), r.fields());
        assertEquals(5, r.startLine());
        assertTrue(r.next());
        assertEquals(List.of("4", "5", "6"), r.fields());
        assertEquals(6, r.startLine());
        assertFalse(r.next());
    }

    @Test
    void longRecordsAreDroppedAndUnclosedQuotesFlagged() throws Exception {
        CsvRecords r = csv(("ok;1\n" + "x".repeat(50) + ";2\nnext;3\n\"open;4"), ';', 20);
        assertTrue(r.next());
        assertEquals(List.of("ok", "1"), r.fields());
        assertTrue(r.next());
        assertTrue(r.tooLong());
        assertTrue(r.next());
        assertFalse(r.tooLong());
        assertEquals(List.of("next", "3"), r.fields());
        assertTrue(r.next());
        assertTrue(r.unterminated());
        assertFalse(r.next());
    }

    @Test
    void aBadByteSequenceMarksItsRecordWithLineColumnAndFieldAndParsingGoesOn() throws Exception {
        byte[] bytes = concat(
                "id,name,city\r\n1,Zo\u00eb,Lyon\r\n2,",
                "e9",
                "l\u00e8ne,Nice\r\n3,\"multi\nli",
                "c3",
                "ne\",Paris\r\n4,Ok,Brest\n5,",
                "ff",
                "\n");
        CsvRecords r = csv(bytes, StandardCharsets.UTF_8, ',', 100);
        assertTrue(r.next());
        assertEquals(0, r.badLine());
        assertTrue(r.next());
        assertEquals(List.of("1", "Zoë", "Lyon"), r.fields());
        assertEquals(0, r.badLine());
        assertTrue(r.next());
        assertEquals(3, r.badLine());
        assertEquals(3, r.badColumn()); // "2," then the bad byte
        assertEquals(1, r.badField());
        assertEquals(List.of("2", "lène", "Nice"), r.fields()); // structure kept: the next record starts right
        assertTrue(r.next());
        assertEquals(4, r.startLine());
        assertEquals(5, r.badLine()); // on the second line of the quoted field
        assertEquals(3, r.badColumn());
        assertEquals(1, r.badField());
        assertTrue(r.next());
        assertEquals(List.of("4", "Ok", "Brest"), r.fields());
        assertEquals(0, r.badLine());
        assertTrue(r.next());
        assertEquals(7, r.startLine());
        assertEquals(7, r.badLine());
        assertFalse(r.blank());
        assertFalse(r.next());
    }

    @Test
    void columnsCountCharactersAndSurvivePushedBackCarriageReturns() throws Exception {
        byte[] bytes = concat("a\r", "e9", "\r\u00e9\ud83d\ude00", "e9", "\n");
        CsvRecords r = csv(bytes, StandardCharsets.UTF_8, ',', 100);
        assertTrue(r.next());
        assertEquals(0, r.badLine());
        assertTrue(r.next()); // a bad byte right after a lone CR starts the next record, not the one before
        assertEquals(2, r.badLine());
        assertEquals(1, r.badColumn());
        assertTrue(r.next());
        assertEquals(3, r.badLine());
        assertEquals(3, r.badColumn()); // é and the emoji are one character each
        assertFalse(r.next());
    }

    @Test
    void aByteOrderMarkCountsOnlyAtTheStartOfTheBody() throws Exception {
        CsvRecords r = csv("\uFEFFid\n1\n\uFEFF2\n3\uFEFF\n", ',', 100);
        assertTrue(r.next());
        assertEquals(List.of("id"), r.fields());
        assertTrue(r.next());
        assertFalse(r.bomAtStart());
        assertTrue(r.next());
        assertTrue(r.bomAtStart());
        assertFalse(r.blank());
        assertTrue(r.next());
        assertFalse(r.bomAtStart()); // inside a field it is a character like any other
        assertEquals(List.of("3\uFEFF"), r.fields());
    }

    @Test
    void aDeclaredSingleByteCharsetDecodesAccents() throws Exception {
        CsvRecords r = csv(HexFormat.of().parseHex("69640a4cfc6265636b0a"), StandardCharsets.ISO_8859_1, ',', 100);
        assertTrue(r.next());
        assertTrue(r.next());
        assertEquals(List.of("Lübeck"), r.fields());
    }

    /** Text parts as UTF-8, hex parts as raw bytes, alternating (text first). */
    private static byte[] concat(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            out.writeBytes(
                    i % 2 == 0
                            ? parts[i].getBytes(StandardCharsets.UTF_8)
                            : HexFormat.of().parseHex(parts[i]));
        }
        return out.toByteArray();
    }
}
