package io.mailshot.extraction.service;

import io.mailshot.events.FileColumn;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One attempt's CSV file on local disk, written row by row while the stream arrives. Counts bytes and
 * hashes them on the way out, so the finished file needs no second read.
 */
public final class SpillFile implements AutoCloseable {

    private final Path path;
    private final CountingOutputStream counter;
    private final MessageDigest digest;
    private final CsvWriter csv;
    private final int[] columnIndex;
    private volatile long rows;
    private long lastSeq;
    private boolean closed;

    private SpillFile(Path path, CountingOutputStream counter, MessageDigest digest, CsvWriter csv, int[] columnIndex) {
        this.path = path;
        this.counter = counter;
        this.digest = digest;
        this.csv = csv;
        this.columnIndex = columnIndex;
    }

    /**
     * Creates the file and writes the header row.
     *
     * @param columnIndex for each column, the index of its value in a streamed profile's values
     */
    public static SpillFile create(Path path, List<FileColumn> columns, int[] columnIndex, boolean neutraliseFormulas)
            throws IOException {
        Files.createDirectories(path.getParent());
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(path), 64 * 1024);
        CountingOutputStream counter = new CountingOutputStream(new DigestOutputStream(file, digest));
        CsvWriter csv = new CsvWriter(new OutputStreamWriter(counter, StandardCharsets.UTF_8), neutraliseFormulas);
        SpillFile spill = new SpillFile(path, counter, digest, csv, columnIndex);
        try {
            for (FileColumn column : columns) {
                csv.field(column.label());
            }
            csv.endRecord();
        } catch (IOException | RuntimeException e) {
            spill.close();
            throw e;
        }
        return spill;
    }

    /** Writes the row of profile number {@code seq}; returns false for a repeat already written. */
    public boolean append(long seq, List<String> values) throws IOException {
        if (seq <= lastSeq) {
            return false;
        }
        int size = values == null ? 0 : values.size();
        for (int index : columnIndex) {
            csv.field(index < size ? values.get(index) : null);
        }
        csv.endRecord();
        lastSeq = seq;
        rows++;
        return true;
    }

    /** Flushes and closes the file; returns its size and SHA-256. */
    public Summary finish() throws IOException {
        csv.close();
        closed = true;
        return new Summary(path, rows, counter.count, HexFormat.of().formatHex(digest.digest()));
    }

    public long rows() {
        return rows;
    }

    /** Bytes encoded so far; lags behind by what is still buffered. */
    public long bytesSoFar() {
        return counter.count;
    }

    public Path path() {
        return path;
    }

    /** Closes the file without keeping it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                csv.close();
            } catch (IOException e) {
                // Being discarded anyway.
            }
        }
    }

    /** A finished file. */
    public record Summary(Path path, long rows, long bytes, String sha256) {
    }

    /** Counts the bytes passing through. */
    private static final class CountingOutputStream extends FilterOutputStream {
        private volatile long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
