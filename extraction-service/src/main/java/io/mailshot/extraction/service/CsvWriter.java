package io.mailshot.extraction.service;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/**
 * Streams RFC 4180 CSV: comma-separated, LF-terminated records, a field quoted only when it must be,
 * embedded quotes doubled, null as an empty field. Optionally neutralises spreadsheet formulas.
 *
 * <p>Buffers characters itself and hands the underlying writer large chunks, because per-character
 * writes to an encoder are the bottleneck on files with millions of rows. Not thread-safe.
 */
public final class CsvWriter implements Flushable, Closeable {

    private static final int BUFFER = 16 * 1024;

    private final Writer out;
    private final boolean neutraliseFormulas;
    private final char[] buffer = new char[BUFFER];
    private int used;
    private boolean firstField = true;

    public CsvWriter(Writer out, boolean neutraliseFormulas) {
        this.out = out;
        this.neutraliseFormulas = neutraliseFormulas;
    }

    /** Writes one whole record. */
    public void record(List<String> values) throws IOException {
        for (String value : values) {
            field(value);
        }
        endRecord();
    }

    /** Writes one whole record. */
    public void record(String... values) throws IOException {
        record(Arrays.asList(values));
    }

    /** Appends a field to the current record. */
    public void field(String value) throws IOException {
        if (!firstField) {
            put(',');
        }
        firstField = false;
        if (value == null || value.isEmpty()) {
            return;
        }
        boolean neutralise = neutraliseFormulas && isFormulaStart(value.charAt(0));
        if (needsQuotes(value)) {
            put('"');
            if (neutralise) {
                put('\'');
            }
            int length = value.length();
            for (int i = 0; i < length; i++) {
                char c = value.charAt(i);
                if (c == '"') {
                    put('"');
                }
                put(c);
            }
            put('"');
        } else {
            if (neutralise) {
                put('\'');
            }
            put(value);
        }
    }

    /** Ends the current record with LF. */
    public void endRecord() throws IOException {
        put('\n');
        firstField = true;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        drain();
        out.close();
    }

    private static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    private static boolean needsQuotes(String value) {
        int length = value.length();
        char first = value.charAt(0);
        char last = value.charAt(length - 1);
        if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
            return true;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private void put(char c) throws IOException {
        if (used == BUFFER) {
            drain();
        }
        buffer[used++] = c;
    }

    private void put(String s) throws IOException {
        int length = s.length();
        if (length > BUFFER - used) {
            drain();
            if (length > BUFFER) {
                out.write(s);
                return;
            }
        }
        s.getChars(0, length, buffer, used);
        used += length;
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }
}
