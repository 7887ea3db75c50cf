package io.mailshot.events.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The manifest of a run's files, published last at the destination so a receiver can check every part: names, row
 * counts, sizes and SHA-256 of the bytes as staged (compressed when compressed). Two forms: JSON (this record as the
 * services' JSON mapper writes it, {@code <stem>.manifest.json}) and, when the format asks for it, a CSV trigger
 * file with one line per part ({@code <stem>.manifest.csv}, {@link #toCsv}). The extraction-service writes both; the
 * delivery-service copies them to the destination, renaming the parts in them as it renames the parts themselves
 * ({@link #rewriteJson}, {@link #rewriteCsv}). A run split by a field lists every file of every file set, each with
 * its split value.
 *
 * @param schemaVersion version of this manifest layout (1)
 * @param rejections the first rejected rows with their reasons (never values), at most {@link #MAX_REJECTIONS}
 */
public record RunManifest(
        int schemaVersion,
        UUID runId,
        UUID campaignId,
        String campaignName,
        Instant completedAt,
        Format format,
        List<PartEntry> parts,
        Totals totals,
        List<String> rejections) {

    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_REJECTIONS = 100;
    /** The columns of the CSV trigger file, in order. */
    public static final List<String> CSV_HEADER =
            List.of("run_id", "campaign_id", "part", "name", "rows", "seed_rows", "bytes", "sha256");

    /** The trigger file's last column when the run is split by a field. */
    public static final String SPLIT_COLUMN = "split_value";

    private static final JsonFactory JSON = new JsonFactory();
    /** RFC 4180, LF, quoted only when needed. */
    private static final CSVFormat CSV = CSVFormat.RFC4180
            .builder()
            .setRecordSeparator("\n")
            .setQuoteMode(QuoteMode.MINIMAL)
            .get();

    /** What a receiver needs to read the parts. */
    public record Format(String type, String encoding, String compression, String lineEnding) {}

    /**
     * One part as staged.
     *
     * @param part its number within its file set (from 1)
     * @param splitValue the value of the split column its rows show ({@code ""} for the empty value), or null when
     *     the run is not split by a field
     */
    public record PartEntry(
            int part, String name, String key, long rows, long seedRows, long bytes, String sha256, String splitValue) {

        /** A part of a run that is not split by a field. */
        public PartEntry(int part, String name, String key, long rows, long seedRows, long bytes, String sha256) {
            this(part, name, key, rows, seedRows, bytes, sha256, null);
        }
    }

    /**
     * @param transliteratedValues values whose unencodable characters were transliterated
     */
    public record Totals(
            int parts, long rows, long seedRows, long rejectedRows, long transliteratedValues, long bytes) {}

    /**
     * The manifest as a CSV trigger file: a header, then one line per part. A run split by a field has one more
     * column, {@value #SPLIT_COLUMN}, last (the split value, empty for the empty value); other runs keep
     * {@link #CSV_HEADER}.
     */
    public String toCsv() throws IOException {
        StringWriter out = new StringWriter();
        boolean split = parts.stream().anyMatch(p -> p.splitValue() != null);
        try (CSVPrinter printer = new CSVPrinter(out, CSV)) {
            List<String> header = new ArrayList<>(CSV_HEADER);
            if (split) {
                header.add(SPLIT_COLUMN);
            }
            printer.printRecord(header);
            for (PartEntry p : parts) {
                List<String> record = new ArrayList<>(List.of(
                        runId.toString(),
                        campaignId == null ? "" : campaignId.toString(),
                        String.valueOf(p.part()),
                        p.name(),
                        String.valueOf(p.rows()),
                        String.valueOf(p.seedRows()),
                        String.valueOf(p.bytes()),
                        p.sha256()));
                if (split) {
                    record.add(p.splitValue() == null ? "" : p.splitValue());
                }
                printer.printRecord(record);
            }
        }
        return out.toString();
    }

    /**
     * Copies a manifest JSON token by token (never holding the whole file), replacing each {@code parts[].name} found
     * in {@code names}. Anything that is not JSON fails with an IOException. Sizes and checksums are kept: they
     * describe the parts' content.
     */
    public static void rewriteJson(InputStream in, OutputStream out, Map<String, String> names) throws IOException {
        try (JsonParser parser = JSON.createParser(new NonClosingInput(in));
                JsonGenerator generator = JSON.createGenerator(new NonClosingOutput(out))) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.VALUE_STRING && isPartName(parser.getParsingContext())) {
                    String name = parser.getText();
                    generator.writeString(names.getOrDefault(name, name));
                } else {
                    generator.copyCurrentEvent(parser);
                }
            }
        }
    }

    /** {@code {"parts":[{"name": <here>}]}} at the top level. */
    private static boolean isPartName(JsonStreamContext value) {
        JsonStreamContext array = value.getParent();
        JsonStreamContext top = array == null ? null : array.getParent();
        return value.inObject()
                && "name".equals(value.getCurrentName())
                && array.inArray()
                && top != null
                && top.inObject()
                && "parts".equals(top.getCurrentName())
                && top.getParent() != null
                && top.getParent().inRoot();
    }

    /**
     * Copies a CSV trigger file record by record (header first), replacing values of its {@code name} column found
     * in {@code names}.
     */
    public static void rewriteCsv(InputStream in, OutputStream out, Map<String, String> names) throws IOException {
        Reader reader = new InputStreamReader(new NonClosingInput(in), StandardCharsets.UTF_8);
        Writer writer = new OutputStreamWriter(new NonClosingOutput(out), StandardCharsets.UTF_8);
        try (CSVParser parser =
                        CSVParser.builder().setReader(reader).setFormat(CSV).get();
                CSVPrinter printer = new CSVPrinter(writer, CSV)) {
            int column = -1;
            for (CSVRecord record : parser) {
                if (record.getRecordNumber() == 1) {
                    column = record.toList().indexOf("name");
                    if (column < 0) {
                        throw new IOException("the trigger file has no 'name' column");
                    }
                    printer.printRecord(record.toList());
                    continue;
                }
                String[] values = record.values();
                if (column < values.length) {
                    values[column] = names.getOrDefault(values[column], values[column]);
                }
                printer.printRecord((Object[]) values);
            }
        }
    }

    /** The caller owns the source: it reads it to the end and verifies it after the rewrite. */
    private static final class NonClosingInput extends FilterInputStream {
        NonClosingInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // Left open for the caller.
        }
    }

    /** The caller owns the sink: finishing a rewrite must not close it. */
    private static final class NonClosingOutput extends FilterOutputStream {
        NonClosingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
