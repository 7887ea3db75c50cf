package io.mailshot.extraction.service.file;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Rendered rows of one attempt on local disk, read back in stream order or sorted. A row is spilled as its
 * record's final bytes and its sort keys: reading it back decodes only the keys.
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
    /** The chunk being collected: {@code chunk[0, chunkSize)}, sorted in place when spilled. */
    private Row[] chunk = new Row[16];

    private int chunkSize;
    /** Null unless the order is settled by prefixes first. */
    private final PrefixSort prefixSort;

    private SpillOutput out;
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
        this.prefixSort = order instanceof PrefixSort.PrefixOrder ? new PrefixSort() : null;
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
        if (chunkSize == chunk.length) {
            chunk = Arrays.copyOf(chunk, Math.min(chunkRows, 2 * chunkSize));
        }
        chunk[chunkSize++] = row;
        if (chunkSize >= chunkRows) {
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
        if (chunkSize > 0) {
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
        int n = chunkSize;
        if (prefixSort != null) {
            prefixSort.sort(chunk, n, (PrefixSort.PrefixOrder) order);
        } else {
            Arrays.sort(chunk, 0, n, order);
        }
        Path run = dir.resolve("run-" + runs.size() + ".bin");
        try (SpillOutput runOut = open(run)) {
            for (int i = 0; i < n; i++) {
                write(runOut, chunk[i]);
            }
        }
        Arrays.fill(chunk, 0, n, null);
        chunkSize = 0;
        runs.add(run);
    }

    private static SpillOutput open(Path file) throws IOException {
        return new SpillOutput(Files.newOutputStream(file));
    }

    private void write(SpillOutput o, Row row) throws IOException {
        o.writeLong(row.seq());
        o.writeLong(row.prefix());
        String[] keys = row.keys();
        o.writeInt(keys.length);
        bytes += 20;
        for (String key : keys) {
            if (key == null) {
                o.writeInt(-1);
                bytes += 4;
            } else {
                bytes += 4 + o.writeText(key);
            }
        }
        byte[] record = row.record();
        o.writeInt(record.length);
        o.write(record);
        bytes += 4 + record.length;
    }

    private static Row readRow(SpillInput in) throws IOException {
        if (!in.hasMore()) {
            return null;
        }
        long seq = in.readLong();
        long prefix = in.readLong();
        String[] keys = new String[in.readInt()];
        for (int i = 0; i < keys.length; i++) {
            int length = in.readInt();
            if (length >= 0) {
                keys[i] = in.readUtf8(length);
            }
        }
        byte[] record = in.readBytes(in.readInt());
        return new Row(seq, prefix, keys, record);
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
        Arrays.fill(chunk, 0, chunkSize, null);
        chunkSize = 0;
    }

    /**
     * The spill file writer: the layout of {@code DataOutputStream} (big-endian ints and longs, length-prefixed
     * bytes) on a buffer of its own. Every row passes through here, and the synchronized byte-at-a-time writes
     * of {@code DataOutputStream} over {@code BufferedOutputStream} were the extraction's top cost at a million
     * rows.
     */
    private static final class SpillOutput implements Closeable {
        private final OutputStream out;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;

        SpillOutput(OutputStream out) {
            this.out = out;
        }

        void writeLong(long v) throws IOException {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
        }

        void writeInt(int v) throws IOException {
            ensure(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        /**
         * Writes the text as its UTF-8 length and bytes, encoding straight into the buffer: no byte array per
         * value (a row has a dozen). A text with a surrogate, or too long to encode in the buffer, takes the
         * JDK's encoder, which also decides what an unpaired surrogate becomes. Returns the byte length.
         */
        int writeText(String text) throws IOException {
            int n = text.length();
            if (n <= (buf.length - 4) / 3) {
                ensure(4 + 3 * n);
                int start = pos;
                int p = pos + 4;
                for (int i = 0; i < n; i++) {
                    char c = text.charAt(i);
                    if (c < 0x80) {
                        buf[p++] = (byte) c;
                    } else if (c < 0x800) {
                        buf[p++] = (byte) (0xC0 | (c >> 6));
                        buf[p++] = (byte) (0x80 | (c & 0x3F));
                    } else if (Character.isSurrogate(c)) {
                        p = -1;
                        break;
                    } else {
                        buf[p++] = (byte) (0xE0 | (c >> 12));
                        buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                        buf[p++] = (byte) (0x80 | (c & 0x3F));
                    }
                }
                if (p >= 0) {
                    int length = p - start - 4;
                    writeInt(length); // at start: pos has not moved yet
                    pos = p;
                    return length;
                }
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            write(utf8);
            return utf8.length;
        }

        void write(byte[] bytes) throws IOException {
            if (bytes.length > buf.length - pos) {
                flushBuffer();
                if (bytes.length > buf.length) {
                    out.write(bytes);
                    return;
                }
            }
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        private void ensure(int bytes) throws IOException {
            if (buf.length - pos < bytes) {
                flushBuffer();
            }
        }

        private void flushBuffer() throws IOException {
            out.write(buf, 0, pos);
            pos = 0;
        }

        @Override
        public void close() throws IOException {
            try {
                flushBuffer();
            } finally {
                out.close();
            }
        }
    }

    /** Reads what {@link SpillOutput} wrote, from a buffer of its own. */
    private static final class SpillInput implements Closeable {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        SpillInput(InputStream in) {
            this.in = in;
        }

        /** False at a clean end of file (no byte left). */
        boolean hasMore() throws IOException {
            return pos < limit || fill(1, true);
        }

        long readLong() throws IOException {
            require(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }

        int readInt() throws IOException {
            require(4);
            return ((buf[pos++] & 0xFF) << 24)
                    | ((buf[pos++] & 0xFF) << 16)
                    | ((buf[pos++] & 0xFF) << 8)
                    | (buf[pos++] & 0xFF);
        }

        String readUtf8(int length) throws IOException {
            if (length <= buf.length) {
                require(length);
                String s = new String(buf, pos, length, StandardCharsets.UTF_8);
                pos += length;
                return s;
            }
            return new String(readBytes(length), StandardCharsets.UTF_8);
        }

        byte[] readBytes(int length) throws IOException {
            if (length <= buf.length) {
                require(length);
                byte[] bytes = Arrays.copyOfRange(buf, pos, pos + length);
                pos += length;
                return bytes;
            }
            byte[] bytes = new byte[length];
            int copied = limit - pos;
            System.arraycopy(buf, pos, bytes, 0, copied);
            pos = limit;
            while (copied < length) {
                int n = in.read(bytes, copied, length - copied);
                if (n < 0) {
                    throw new EOFException("spill file ends inside a value");
                }
                copied += n;
            }
            return bytes;
        }

        private void require(int bytes) throws IOException {
            if (limit - pos < bytes && !fill(bytes, false)) {
                throw new EOFException("spill file ends inside a row");
            }
        }

        /** Makes at least {@code bytes} available; false at end of file (only allowed when {@code eofOk}). */
        private boolean fill(int bytes, boolean eofOk) throws IOException {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
            while (limit < bytes) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    if (eofOk && limit == 0) {
                        return false;
                    }
                    throw new EOFException("spill file ends inside a row");
                }
                limit += n;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** An iterator over spilled rows that holds open files. */
    public interface RowIterator extends Iterator<Row>, Closeable {
        @Override
        void close();
    }

    /** Reads one spill or run file in order. */
    private static final class FileIterator implements RowIterator {
        private final SpillInput in;
        private Row next;

        FileIterator(Path file) throws IOException {
            in = new SpillInput(Files.newInputStream(file));
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

    /**
     * K-way merge of sorted sources (run files, or the sorted rows of several spills): a binary heap of each
     * source's next row whose top is replaced in place, one sift per row where a priority queue would take a
     * poll and an add.
     */
    private static final class MergeIterator implements RowIterator {
        private final List<RowIterator> sources;
        private final Comparator<Row> order;
        private final Row[] heads;
        private final RowIterator[] from;
        private int size;

        MergeIterator(List<RowIterator> sources, Comparator<Row> order) {
            this.sources = sources;
            this.order = order;
            this.heads = new Row[sources.size()];
            this.from = new RowIterator[sources.size()];
            for (RowIterator source : sources) {
                if (source.hasNext()) {
                    heads[size] = source.next();
                    from[size] = source;
                    size++;
                }
            }
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        @Override
        public boolean hasNext() {
            return size > 0;
        }

        @Override
        public Row next() {
            if (size == 0) {
                throw new NoSuchElementException();
            }
            Row row = heads[0];
            RowIterator source = from[0];
            if (source.hasNext()) {
                heads[0] = source.next();
            } else {
                size--;
                heads[0] = heads[size];
                from[0] = from[size];
                heads[size] = null;
                from[size] = null;
            }
            if (size > 1) {
                siftDown(0);
            }
            return row;
        }

        private void siftDown(int at) {
            Row row = heads[at];
            RowIterator source = from[at];
            int i = at;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && order.compare(heads[child + 1], heads[child]) < 0) {
                    child++;
                }
                if (order.compare(heads[child], row) >= 0) {
                    break;
                }
                heads[i] = heads[child];
                from[i] = from[child];
                i = child;
            }
            heads[i] = row;
            from[i] = source;
        }

        @Override
        public void close() {
            sources.forEach(RowIterator::close);
        }
    }
}
