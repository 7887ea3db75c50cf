package io.mailshot.delivery.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * Rewrites the extraction's manifest files so that they name the parts as delivered (timestamped names), token by
 * token and record by record, never holding a whole file. Only the part names change; sizes and checksums still
 * describe the parts' content (before any OpenPGP encryption, as without renaming).
 */
final class ManifestRewriter {

    private static final JsonFactory JSON = new JsonFactory();
    /** As extraction writes {@code manifest.csv}: RFC 4180, LF, quoted only when needed. */
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\n")
            .setQuoteMode(QuoteMode.MINIMAL).get();

    private ManifestRewriter() {
    }

    /**
     * Copies the manifest JSON, replacing each {@code parts[].name} found in {@code names}. Anything that is not
     * JSON fails with an IOException (the manifest is then not delivered).
     */
    static void json(InputStream in, OutputStream out, Map<String, String> names) throws IOException {
        try (JsonParser parser = JSON.createParser(new NonClosingInput(in));
                JsonGenerator generator = JSON.createGenerator(new NonClosing(out))) {
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
        return value.inObject() && "name".equals(value.getCurrentName()) && array.inArray() && top != null
                && top.inObject() && "parts".equals(top.getCurrentName()) && top.getParent() != null
                && top.getParent().inRoot();
    }

    /** Copies the CSV trigger file (header first), replacing values of its {@code name} column found in {@code names}. */
    static void csv(InputStream in, OutputStream out, Map<String, String> names) throws IOException {
        Reader reader = new InputStreamReader(new NonClosingInput(in), StandardCharsets.UTF_8);
        Writer writer = new OutputStreamWriter(new NonClosing(out), StandardCharsets.UTF_8);
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSV).get();
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
    private static final class NonClosingInput extends java.io.FilterInputStream {
        NonClosingInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // Left open for the caller.
        }
    }

    /** The caller owns the sink: finishing a rewrite must not close it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
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
