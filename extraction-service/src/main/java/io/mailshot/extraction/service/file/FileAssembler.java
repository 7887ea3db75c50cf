package io.mailshot.extraction.service.file;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a run's parts from its (already ordered, already encoded) rows: header notes, header, seeds, rows,
 * footer notes, split every N profile rows, optionally compressed, each part's staged bytes counted and hashed
 * as they are written. The same code writes real files and previews.
 */
public final class FileAssembler {

    /** Where each part's bytes go. */
    public interface PartTarget {
        OutputStream open(int part, String name) throws IOException;
    }

    /** A written part: its name, profile and seed rows, and the size and SHA-256 of its (compressed) bytes. */
    public record Part(int number, String name, long rows, long seedRows, long bytes, String sha256) {}

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private FileAssembler() {}

    /**
     * Writes every part.
     *
     * @param rows the profile rows, in file order
     * @param compress false writes uncompressed parts whatever the layout says (previews)
     * @return the parts in order; empty only for an empty audience with NO_FILE
     */
    public static List<Part> write(RunPlan plan, Iterator<Row> rows, PartTarget target, boolean compress)
            throws IOException {
        List<Part> parts = new ArrayList<>();
        Integer split = plan.splitEvery();
        PartWriter current = null;
        while (rows.hasNext()) {
            Row row = rows.next();
            if (current == null || split != null && current.rows == split) {
                if (current != null) {
                    parts.add(current.finish());
                }
                int number = parts.size() + 1;
                current = new PartWriter(plan, number, target, compress);
            }
            current.row(row);
        }
        if (current == null && !plan.layout().noFileWhenEmpty()) {
            current = new PartWriter(plan, 1, target, compress);
        }
        if (current != null) {
            parts.add(current.finish());
        }
        return parts;
    }

    /**
     * The writer of a delimited part's text, encoding onto {@code out} ({@link RecordEncoder} encodes each
     * record with it). Formula neutralisation is not its job: {@link RunPlan} did it when rendering.
     */
    public static CsvWriter csvWriter(OutputStream out, Layout layout) {
        return new CsvWriter(
                out,
                layout.encoding().charset,
                layout.delimiter(),
                layout.quote(),
                layout.quoteAll(),
                layout.lineEnding(),
                false);
    }

    /** One part being written: records arrive encoded ({@link RecordEncoder}) and are copied as they are. */
    private static final class PartWriter {
        private final RunPlan plan;
        private final int number;
        private final String name;
        private final Counting counter;
        private final MessageDigest digest;
        private final OutputStream compressed;
        /** The records, a line at a time, handed to {@code compressed} in large chunks. */
        private final OutputStream out;

        private final List<Row> pendingSeeds;
        private long rows;
        private long seedRows;

        PartWriter(RunPlan plan, int number, PartTarget target, boolean compress) throws IOException {
            this.plan = plan;
            Layout layout = plan.layout();
            this.number = number;
            Layout.Compression compression = compress ? layout.compression() : Layout.Compression.NONE;
            String fullName = plan.partName(number);
            this.name = compress
                    ? fullName
                    : fullName.substring(
                            0, fullName.length() - layout.compression().suffix.length());
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            counter = new Counting(new DigestOutputStream(target.open(number, name), digest));
            compressed = switch (compression) {
                case NONE -> counter;
                case GZIP -> new GZIPOutputStream(counter, 64 * 1024);
                case ZIP -> {
                    ZipOutputStream zip = new ZipOutputStream(counter);
                    // The entry is the uncompressed file: the part's name without ".zip".
                    zip.putNextEntry(
                            new ZipEntry(name.substring(0, name.length() - Layout.Compression.ZIP.suffix.length())));
                    yield zip;
                }
            };
            out = new BufferedOutputStream(compressed, 64 * 1024);
            if (layout.encoding() == Layout.Encoding.UTF_8_BOM) {
                out.write(UTF8_BOM);
            }
            pendingSeeds = new ArrayList<>(plan.seeds());
            RecordEncoder encoder = plan.encoder();
            for (String note : plan.headerNotes()) {
                out.write(encoder.line(note));
            }
            if (layout.header()) {
                out.write(encoder.header(plan.labels()));
            }
            if (plan.seedPlacement() == RunPlan.SeedPlacement.START) {
                flushSeeds(null);
            }
        }

        void row(Row row) throws IOException {
            if (plan.seedPlacement() == RunPlan.SeedPlacement.SORTED) {
                flushSeeds(row);
            }
            out.write(row.record());
            rows++;
        }

        /** Writes the pending seeds that sort before {@code before} (all of them when null). */
        private void flushSeeds(Row before) throws IOException {
            while (!pendingSeeds.isEmpty()
                    && (before == null || plan.order().compare(pendingSeeds.get(0), before) <= 0)) {
                out.write(pendingSeeds.remove(0).record());
                seedRows++;
            }
        }

        Part finish() throws IOException {
            flushSeeds(null);
            for (String note : plan.footerNotes()) {
                out.write(plan.encoder().line(note));
            }
            out.flush();
            if (compressed instanceof GZIPOutputStream gzip) {
                gzip.finish();
            } else if (compressed instanceof ZipOutputStream zip) {
                zip.closeEntry();
                zip.finish();
            }
            compressed.close();
            return new Part(
                    number, name, rows, seedRows, counter.count, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** Counts the bytes passing through. */
    private static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
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
