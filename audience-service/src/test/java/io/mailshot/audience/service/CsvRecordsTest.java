package io.mailshot.audience.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

    @Test
    void rfc4180() throws Exception {
        CsvRecords r = new CsvRecords(new StringReader("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                + "\n1,,3\r4,5,6"), ',', 100);
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
        CsvRecords r = new CsvRecords(new StringReader("ok;1\n" + "x".repeat(50) + ";2\nnext;3\n\"open;4"), ';', 20);
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
}
