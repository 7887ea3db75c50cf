package io.mailshot.extraction.service.file;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Sorts a chunk of rows by their primitive prefixes first: a stable radix sort of the 64-bit prefixes (a byte
 * per pass, skipping a byte every row shares, such as a postal code's length), then the full comparison only
 * inside each run of equal prefixes. A comparison sort of a 50,000-row chunk loaded two scattered row objects
 * for each of its 800,000 comparisons, and was an eighth of the extraction's CPU. Not thread-safe: one per
 * spill, its buffers reused from chunk to chunk.
 */
final class PrefixSort {

    /**
     * An order that the rows' prefixes settle whenever they differ: rows whose prefixes differ compare as the
     * prefixes do, unsigned, reversed when {@link #prefixDescending()}; rows with equal prefixes need
     * {@link #compare}.
     */
    interface PrefixOrder extends Comparator<Row> {
        boolean prefixDescending();
    }

    private long[] keys = new long[0];
    private long[] keysBuffer = new long[0];
    private Row[] rowsBuffer = new Row[0];
    private final int[] counts = new int[256];

    /** Sorts {@code rows[0, n)} in place by {@code order}. */
    void sort(Row[] rows, int n, PrefixOrder order) {
        if (n < 2) {
            return;
        }
        if (keys.length < n) {
            keys = new long[n];
            keysBuffer = new long[n];
            rowsBuffer = new Row[n];
        }
        long flip = order.prefixDescending() ? -1L : 0L;
        for (int i = 0; i < n; i++) {
            // Bytes taken unsigned, least significant first: the last pass orders the prefixes unsigned.
            keys[i] = rows[i].prefix() ^ flip;
        }
        long[] k = keys;
        long[] kb = keysBuffer;
        Row[] r = rows;
        Row[] rb = rowsBuffer;
        for (int shift = 0; shift < 64; shift += 8) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[(int) (k[i] >>> shift) & 0xFF]++;
            }
            if (counts[(int) (k[0] >>> shift) & 0xFF] == n) {
                continue; // every row has this byte: the pass would not move anything
            }
            for (int b = 0, at = 0; b < 256; b++) {
                int c = counts[b];
                counts[b] = at;
                at += c;
            }
            for (int i = 0; i < n; i++) {
                int to = counts[(int) (k[i] >>> shift) & 0xFF]++;
                kb[to] = k[i];
                rb[to] = r[i];
            }
            long[] swapKeys = k;
            k = kb;
            kb = swapKeys;
            Row[] swapRows = r;
            r = rb;
            rb = swapRows;
        }
        if (r != rows) {
            System.arraycopy(r, 0, rows, 0, n);
        }
        // Equal prefixes: the radix sort kept them in chunk order; the full comparison settles them.
        for (int from = 0; from < n; ) {
            int to = from + 1;
            while (to < n && rows[to].prefix() == rows[from].prefix()) {
                to++;
            }
            if (to - from > 1) {
                Arrays.sort(rows, from, to, order);
            }
            from = to;
        }
        Arrays.fill(rowsBuffer, 0, n, null); // do not keep the chunk's rows alive after it is spilled
    }
}
