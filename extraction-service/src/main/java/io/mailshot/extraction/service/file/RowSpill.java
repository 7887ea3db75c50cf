package io.mailshot.extraction.service.file;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Rendered rows of one attempt on local disk, read back in stream order or sorted.
 *
 * <p>Sorting is an external merge sort: rows are collected in chunks of at most {@code chunkRows}, each chunk
 * is sorted in memory and written to its own run file, and reading merges the run files with a heap of one
 * row per file. Heap use is bounded by the chunk size and the number of run files, not by the row count.
 */
public final class RowSpill implements Closeable {

    private final Path dir;
    private final Comparator<Row> order;
    private final int chunkRows;
    private final List<Path> runs = new ArrayList<>();
    private final List<Row> chunk = new ArrayList<>();
    private DataOutputStream out;
    private long rows;
    private long bytes;

    /**
     * @param dir a folder of its own (created; its files belong to this spill)
     * @param order the sort order, or null to keep stream order
     */
    public RowSpill(Path dir, Comparator<Row> order, int chunkRows) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.order = order;
        this.chunkRows = Math.max(1, chunkRows);
        if (order == null) {
            out = open(dir.resolve("rows.bin"));
        }
    }

    /** Adds a row. */
    public void append(Row row) throws IOException {
        rows++;
        if (order == null) {
            write(out, row);
            return;
        }
        chunk.add(row);
        if (chunk.size() >= chunkRows) {
            spillChunk();
        }
    }

    public long rows() {
        return rows;
    }

    /** Bytes spilled so far (lags behind buffering). */
    public long bytesSoFar() {
        return bytes;
    }

    /** Number of sorted run files written so far (for tests and diagnostics). */
    public int runFiles() {
        return runs.size();
    }

    /** Finishes writing and returns the rows, sorted when an order was given. Close the iterator after use. */
    public RowIterator read() throws IOException {
        if (order == null) {
            out.close();
            out = null;
            return new FileIterator(dir.resolve("rows.bin"));
        }
        if (!chunk.isEmpty()) {
            spillChunk();
        }
        List<RowIterator> sources = new ArrayList<>();
        for (Path run : runs) {
            sources.add(new FileIterator(run));
        }
        return new MergeIterator(sources, order);
    }

    /**
     * Combines the rows of several spills (the slices of one run) into one iterator: merged by {@code order}
     * when given (each source must be sorted by it), otherwise one source after the other. Closing the result
     * closes every source.
     */
    public static RowIterator combine(List<RowIterator> sources, Comparator<Row> order) {
        if (sources.size() == 1) {
            return sources.get(0);
        }
        return order == null ? new ConcatIterator(sources) : new MergeIterator(sources, order);
    }

    private void spillChunk() throws IOException {
        chunk.sort(order);
        Path run = dir.resolve("run-" + runs.size() + ".bin");
        try (DataOutputStream runOut = open(run)) {
            for (Row row : chunk) {
                write(runOut, row);
            }
        }
        runs.add(run);
        chunk.clear();
    }

    private static DataOutputStream open(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
    }

    private void write(DataOutputStream o, Row row) throws IOException {
        o.writeLong(row.seq());
        String[] cells = row.cells();
        o.writeInt(cells.length);
        bytes += 12;
        for (String cell : cells) {
            if (cell == null) {
                o.writeInt(-1);
                bytes += 4;
            } else {
                byte[] utf8 = cell.getBytes(StandardCharsets.UTF_8);
                o.writeInt(utf8.length);
                o.write(utf8);
                bytes += 4 + utf8.length;
            }
        }
    }

    private static Row readRow(DataInputStream in) throws IOException {
        long seq;
        try {
            seq = in.readLong();
        } catch (EOFException e) {
            return null;
        }
        String[] cells = new String[in.readInt()];
        for (int i = 0; i < cells.length; i++) {
            int length = in.readInt();
            if (length >= 0) {
                byte[] utf8 = new byte[length];
                in.readFully(utf8);
                cells[i] = new String(utf8, StandardCharsets.UTF_8);
            }
        }
        return new Row(seq, cells);
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // Being discarded.
            }
            out = null;
        }
        chunk.clear();
    }

    /** An iterator over spilled rows that holds open files. */
    public interface RowIterator extends Iterator<Row>, Closeable {
        @Override
        void close();
    }

    /** Reads one spill or run file in order. */
    private static final class FileIterator implements RowIterator {
        private final DataInputStream in;
        private Row next;

        FileIterator(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
            advance();
        }

        private void advance() {
            try {
                next = readRow(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Row next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Row row = next;
            advance();
            return row;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // Read-only.
            }
        }
    }

    /** Sources one after the other. */
    private static final class ConcatIterator implements RowIterator {
        private final List<RowIterator> sources;
        private int current;

        ConcatIterator(List<RowIterator> sources) {
            this.sources = List.copyOf(sources);
        }

        @Override
        public boolean hasNext() {
            while (current < sources.size()) {
                if (sources.get(current).hasNext()) {
                    return true;
                }
                current++;
            }
            return false;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return sources.get(current).next();
        }

        @Override
        public void close() {
            sources.forEach(RowIterator::close);
        }
    }

    /** K-way merge of sorted sources (run files, or the sorted rows of several spills). */
    private static final class MergeIterator implements RowIterator {
        private final List<RowIterator> sources;
        private final PriorityQueue<Head> heap;

        MergeIterator(List<RowIterator> sources, Comparator<Row> order) {
            this.sources = sources;
            this.heap = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> order.compare(a.row, b.row));
            for (RowIterator source : sources) {
                if (source.hasNext()) {
                    heap.add(new Head(source.next(), source));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heap.isEmpty();
        }

        @Override
        public Row next() {
            Head head = heap.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            if (head.source.hasNext()) {
                heap.add(new Head(head.source.next(), head.source));
            }
            return head.row;
        }

        @Override
        public void close() {
            sources.forEach(RowIterator::close);
        }

        private record Head(Row row, RowIterator source) {
        }
    }
}
