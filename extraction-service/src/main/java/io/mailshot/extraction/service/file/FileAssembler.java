package io.mailshot.extraction.service.file;

import io.mailshot.events.files.PathRules;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a run's parts from its (already ordered, already encoded) rows: header notes, header, seeds, rows,
 * footer notes, optionally compressed, each part's staged bytes counted and hashed as they are written. The same
 * code writes real files and previews.
 *
 * <p>A run split by a field has one file set per split value: its rows arrive grouped by value (the value is the
 * leading sort key, {@link RunPlan#order}), so a set ends when the value changes and only one part is ever open.
 * Within a set (or the run), a part ends after {@code splitEvery} profile rows or before a row that would take it
 * past {@code splitMaxBytes}, whichever comes first; the cap counts every byte of the part before compression
 * (byte-order mark, header notes, header, seeds, rows, footer notes), and a part holds at least one row, so only a
 * part whose header, seeds and single row alone pass the cap is bigger. Seeds go into every part of every set.
 */
public final class FileAssembler {

    /** Where each part's bytes go. */
    public interface PartTarget {
        /**
         * @param index the file's place among all of the run's files (from 1; the part number when the run is not
         *     split by a field)
         */
        OutputStream open(int index, String name) throws IOException;
    }

    /** Told of every profile row as it is written: which part of which file set it went to. */
    public interface PlacementSink {
        void placed(Row row, String name, int part, String splitValue) throws IOException;
    }

    /**
     * A written part: its number within its file set, name, profile and seed rows, the size and SHA-256 of its
     * (compressed) bytes, and its split value (null when the run is not split by a field).
     */
    public record Part(
            int number, String name, long rows, long seedRows, long bytes, String sha256, String splitValue) {}

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
        return write(plan, rows, target, compress, null);
    }

    /**
     * Writes every part, telling {@code placements} (when not null) where each profile row went.
     *
     * @throws PartNameException when two files would get one name (compared ignoring case, manifests included)
     */
    public static List<Part> write(
            RunPlan plan, Iterator<Row> rows, PartTarget target, boolean compress, PlacementSink placements)
            throws IOException {
        List<Part> parts = new ArrayList<>();
        Integer split = plan.splitEvery();
        Long maxBytes = plan.splitMaxBytes();
        // As many names as files: the manifest lists every one of them anyway.
        Set<String> names = new HashSet<>();
        plan.manifestNames().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        PartWriter current = null;
        String value = null;
        while (rows.hasNext()) {
            Row row = rows.next();
            String rowValue = plan.splitValue(row);
            boolean newSet = current == null || rowValue != null && !rowValue.equals(value);
            if (newSet
                    || split != null && current.rows == split
                    || maxBytes != null && current.rows > 0 && current.sizeWith(row) > maxBytes) {
                int number = newSet ? 1 : current.number + 1;
                if (current != null) {
                    parts.add(current.finish());
                }
                value = rowValue;
                current = new PartWriter(plan, number, parts.size() + 1, value, target, compress, names);
            }
            current.row(row);
            if (placements != null) {
                placements.placed(row, current.name, current.number, value);
            }
        }
        if (current == null && !plan.layout().noFileWhenEmpty()) {
            // An empty audience split by a field: one empty file, in the set of the empty value.
            current = new PartWriter(plan, 1, 1, plan.splitsByField() ? "" : null, target, compress, names);
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
        private final String splitValue;
        /** Bytes written so far before compression, and those the seeds still pending and the footer will add. */
        private long size;

        private long pendingSeedBytes;
        private final long footerBytes;
        private final Counting counter;
        private final MessageDigest digest;
        private final OutputStream compressed;
        /** The records, a line at a time, handed to {@code compressed} in large chunks. */
        private final OutputStream out;

        private final List<Row> pendingSeeds;
        private long rows;
        private long seedRows;

        PartWriter(
                RunPlan plan,
                int number,
                int index,
                String splitValue,
                PartTarget target,
                boolean compress,
                Set<String> names)
                throws IOException {
            this.plan = plan;
            Layout layout = plan.layout();
            this.number = number;
            this.splitValue = splitValue;
            Layout.Compression compression = compress ? layout.compression() : Layout.Compression.NONE;
            String fullName = plan.partName(number, splitValue);
            this.name = compress
                    ? fullName
                    : fullName.substring(
                            0, fullName.length() - layout.compression().suffix.length());
            // The split value is the marketer's data: checked here, named in no message (it could be anything).
            if (splitValue != null && !PathRules.isFileName(fullName)) {
                throw new PartNameException("the name of part " + number + " of a file set is not a plain file name of"
                        + " at most " + PathRules.MAX_FILE_NAME + " characters: shorten the file-name template");
            }
            if (!names.add(fullName.toLowerCase(Locale.ROOT))) {
                throw new PartNameException("two of the run's files would share one name (part " + number
                        + (splitValue == null ? "" : " of a file set")
                        + "; names are compared ignoring case, which some stores do, and the manifests' names are"
                        + " taken): change the file-name template");
            }
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            counter = new Counting(new DigestOutputStream(target.open(index, name), digest));
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
                write(UTF8_BOM);
            }
            pendingSeeds = new ArrayList<>(plan.seeds());
            for (Row seed : pendingSeeds) {
                pendingSeedBytes += seed.record().length;
            }
            RecordEncoder encoder = plan.encoder();
            for (String note : plan.headerNotes()) {
                write(encoder.line(note));
            }
            if (layout.header()) {
                write(encoder.header(plan.labels()));
            }
            long footer = 0;
            for (String note : plan.footerNotes()) {
                footer += encoder.line(note).length;
            }
            footerBytes = footer;
            if (plan.seedPlacement() == RunPlan.SeedPlacement.START) {
                flushSeeds(null);
            }
        }

        void row(Row row) throws IOException {
            if (plan.seedPlacement() == RunPlan.SeedPlacement.SORTED) {
                flushSeeds(row);
            }
            write(row.record());
            rows++;
        }

        /** The part's size before compression, once finished, if {@code row} were its next row. */
        long sizeWith(Row row) {
            return size + row.record().length + pendingSeedBytes + footerBytes;
        }

        private void write(byte[] bytes) throws IOException {
            out.write(bytes);
            size += bytes.length;
        }

        /** Writes the pending seeds that sort before {@code before} (all of them when null). */
        private void flushSeeds(Row before) throws IOException {
            while (!pendingSeeds.isEmpty()
                    && (before == null || plan.seedOrder().compare(pendingSeeds.get(0), before) <= 0)) {
                Row seed = pendingSeeds.remove(0);
                write(seed.record());
                pendingSeedBytes -= seed.record().length;
                seedRows++;
            }
        }

        Part finish() throws IOException {
            flushSeeds(null);
            for (String note : plan.footerNotes()) {
                write(plan.encoder().line(note));
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
                    number, name, rows, seedRows, counter.count, HexFormat.of().formatHex(digest.digest()), splitValue);
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
