package io.mailshot.extraction.service.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external merge sort: bounded chunks on disk, merged into one stable order; stream order without keys. A
 * row's keys and record bytes come back as they went in.
 */
class RowSpillTest {

    @TempDir
    Path dir;

    @Test
    void sorts_through_many_spilled_chunks_stably_and_keeps_nulls_and_unicode() throws Exception {
        Comparator<Row> byFirstCell = Comparator.<Row, String>comparing(r -> r.keys()[0] == null ? "" : r.keys()[0])
                .thenComparingLong(Row::seq);
        Random random = new Random(42);
        List<Row> input = new ArrayList<>();
        String[] keys = {"b", "a", "ß", null, "😀", "a"};
        for (int seq = 1; seq <= 5_000; seq++) {
            input.add(row(seq, new String[] {keys[random.nextInt(keys.length)], null}, "v" + seq + ",é\n"));
        }
        List<Row> output = new ArrayList<>();
        try (RowSpill spill = new RowSpill(dir.resolve("sorted"), byFirstCell, 128)) {
            for (Row row : input) {
                spill.append(row);
            }
            try (RowSpill.RowIterator rows = spill.read()) {
                rows.forEachRemaining(output::add);
            }
            // 5000 rows in chunks of 128: memory holds one chunk, the rest is on disk.
            assertEquals(40, spill.runFiles());
        }
        List<Row> expected = new ArrayList<>(input);
        expected.sort(byFirstCell);
        assertEquals(expected.size(), output.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).seq(), output.get(i).seq(), "position " + i);
            assertSame(expected.get(i), output.get(i));
        }
        for (int i = 1; i < output.size(); i++) {
            Row a = output.get(i - 1);
            Row b = output.get(i);
            if (Objects.equals(a.keys()[0], b.keys()[0])) {
                assertTrue(a.seq() < b.seq(), "equal keys keep stream order");
            }
        }
    }

    @Test
    void values_of_any_size_survive_the_spill_across_buffer_boundaries() throws Exception {
        // Cells from empty to several times the 64 KiB spill buffer, multi-byte characters included, so rows
        // and values straddle buffer boundaries on the way out and on the way back.
        Random random = new Random(7);
        String[] pieces = {"a", "é", "ß", "😀", "漢", "\n", ",", "\""};
        List<Row> input = new ArrayList<>();
        for (int seq = 1; seq <= 400; seq++) {
            int size = switch (seq % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(20);
                case 2 -> 65_530 + random.nextInt(12);
                case 3 -> 150_000 + random.nextInt(50_000);
                default -> random.nextInt(5_000);
            };
            StringBuilder b = new StringBuilder();
            while (b.length() < size) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String value = b.toString();
            input.add(row(
                    ((long) (seq % 3) << 40) | seq,
                    new String[] {value, seq % 7 == 0 ? null : "x"},
                    new StringBuilder(value).reverse().toString()));
        }
        List<Row> output = new ArrayList<>();
        try (RowSpill spill = new RowSpill(dir.resolve("large"), null, 10)) {
            for (Row row : input) {
                spill.append(row);
            }
            try (RowSpill.RowIterator rows = spill.read()) {
                rows.forEachRemaining(output::add);
            }
        }
        assertEquals(input.size(), output.size());
        for (int i = 0; i < input.size(); i++) {
            assertSame(input.get(i), output.get(i));
        }
    }

    @Test
    void without_an_order_rows_come_back_in_stream_order() throws Exception {
        try (RowSpill spill = new RowSpill(dir.resolve("plain"), null, 10)) {
            for (int seq = 1; seq <= 100; seq++) {
                spill.append(row(seq, new String[0], String.valueOf(100 - seq)));
            }
            List<Long> seqs = new ArrayList<>();
            try (RowSpill.RowIterator rows = spill.read()) {
                rows.forEachRemaining(r -> seqs.add(r.seq()));
            }
            assertEquals(100, seqs.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, seqs.get(i));
            }
            assertEquals(0, spill.runFiles());
        }
    }

    @Test
    void an_empty_spill_reads_nothing_sorted_or_not() throws Exception {
        try (RowSpill sorted = new RowSpill(dir.resolve("e1"), Comparator.comparingLong(Row::seq), 10);
                RowSpill.RowIterator rows = sorted.read()) {
            assertEquals(false, rows.hasNext());
        }
        try (RowSpill plain = new RowSpill(dir.resolve("e2"), null, 10);
                RowSpill.RowIterator rows = plain.read()) {
            assertEquals(false, rows.hasNext());
        }
    }

    private static Row row(long seq, String[] keys, String record) {
        // Any prefix: the spill keeps it as it is, all 64 bits.
        return new Row(seq, seq * 0x9E3779B97F4A7C15L, keys, record.getBytes(StandardCharsets.UTF_8));
    }

    /** The same row: position, keys (null kept apart from empty) and record bytes. */
    private static void assertSame(Row expected, Row actual) {
        assertEquals(expected.seq(), actual.seq());
        assertEquals(expected.prefix(), actual.prefix());
        assertEquals(Arrays.asList(expected.keys()), Arrays.asList(actual.keys()));
        assertArrayEquals(expected.record(), actual.record(), "record of row " + expected.seq());
    }
}
