package io.mailshot.extraction.service;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/**
 * Streams RFC 4180 CSV and other delimited text: by default comma-separated, LF-terminated records, a field
 * quoted only when it must be (or always), embedded quotes doubled, null as an empty field. Optionally
 * neutralises spreadsheet formulas. Without a quote character, values are written as they are: the caller
 * must have refused values holding the delimiter or a line break.
 *
 * <p>Buffers characters itself and hands the underlying writer large chunks, because per-character
 * writes to an encoder are the bottleneck on files with millions of rows. Not thread-safe.
 */
public final class CsvWriter implements Flushable, Closeable {

    private static final int BUFFER = 16 * 1024;

    private final Writer out;
    private final boolean neutraliseFormulas;
    private final char delimiter;
    private final char quote;
    private final boolean quoting;
    private final boolean quoteAll;
    private final String lineEnding;
    private final char[] buffer = new char[BUFFER];
    private int used;
    private boolean firstField = true;

    /** RFC 4180 CSV with LF line endings. */
    public CsvWriter(Writer out, boolean neutraliseFormulas) {
        this(out, ',', '"', false, "\n", neutraliseFormulas);
    }

    /**
     * @param quote the quote character, or null for no quoting
     * @param quoteAll quote every non-null field, not only those that need it
     */
    public CsvWriter(Writer out, char delimiter, Character quote, boolean quoteAll, String lineEnding,
            boolean neutraliseFormulas) {
        this.out = out;
        this.delimiter = delimiter;
        this.quoting = quote != null;
        this.quote = quote == null ? 0 : quote;
        this.quoteAll = quoteAll && quote != null;
        this.lineEnding = lineEnding;
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
            put(delimiter);
        }
        firstField = false;
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            if (quoteAll) {
                put(quote);
                put(quote);
            }
            return;
        }
        boolean neutralise = neutraliseFormulas && isFormulaStart(value.charAt(0));
        if (quoting && (quoteAll || needsQuotes(value))) {
            put(quote);
            if (neutralise) {
                put('\'');
            }
            int length = value.length();
            for (int i = 0; i < length; i++) {
                char c = value.charAt(i);
                if (c == quote) {
                    put(quote);
                }
                put(c);
            }
            put(quote);
        } else {
            if (neutralise) {
                put('\'');
            }
            put(value);
        }
    }

    /** Ends the current record with the line ending. */
    public void endRecord() throws IOException {
        put(lineEnding);
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

    /** Writes a whole line as it is (header and footer notes), then the line ending. */
    public void line(String text) throws IOException {
        put(text);
        endRecord();
    }

    private boolean needsQuotes(String value) {
        int length = value.length();
        char first = value.charAt(0);
        char last = value.charAt(length - 1);
        if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
            return true;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == delimiter || c == quote || c == '\n' || c == '\r') {
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
