package io.mailshot.extraction.service.file;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Streams RFC 4180 CSV and other delimited text: by default comma-separated, LF-terminated records, a field
 * quoted only when it must be (or always), embedded quotes doubled, null as an empty field. Optionally
 * neutralises spreadsheet formulas. Without a quote character, values are written as they are: the caller
 * must have refused values holding the delimiter or a line break.
 *
 * <p>Writing to an {@link OutputStream} in UTF-8, it encodes straight into its own byte buffer (one pass
 * over each value that also finds what needs quoting), because the JDK's encoder behind a {@link Writer}
 * falls into a slow per-character loop on any accented text and was the renderer's top cost. The bytes are
 * the JDK encoder's with its default replacement: an unpaired surrogate becomes {@code ?}. Other charsets
 * (and a {@link Writer}) take a character buffer handed to the writer in large chunks. Not thread-safe.
 */
public final class CsvWriter implements Flushable, Closeable {

    private static final int CHAR_BUFFER = 16 * 1024;
    private static final int BYTE_BUFFER = 64 * 1024;
    /** Longest value encoded in one pass: room for 3 bytes per char plus quotes and prefix in the buffer. */
    private static final int ONE_PASS = (BYTE_BUFFER - 16) / 3;

    private final boolean neutraliseFormulas;
    private final char delimiter;
    private final char quote;
    private final boolean quoting;
    private final boolean quoteAll;
    private final String lineEnding;
    private boolean firstField = true;

    // Character path: a Writer, fed in chunks.
    private final Writer out;
    private final char[] buffer;
    private int used;

    // UTF-8 path: bytes straight to the stream.
    private final OutputStream bytesOut;
    private final byte[] bytes;
    private int filled;
    private final byte[] delimiterBytes;
    /** The delimiter when it is ASCII (one byte), else -1. */
    private final int delimiterByte;

    private final byte[] quoteBytes;
    private final byte[] lineEndingBytes;
    /** Whether the line ending is LF (one byte, written in place). */
    private final boolean lf;
    /** ASCII characters that force quoting (delimiter, quote, CR, LF). */
    private final boolean[] asciiSpecial = new boolean[128];

    /** RFC 4180 CSV with LF line endings. */
    public CsvWriter(Writer out, boolean neutraliseFormulas) {
        this(out, ',', '"', false, "\n", neutraliseFormulas);
    }

    /**
     * @param quote the quote character, or null for no quoting
     * @param quoteAll quote every non-null field, not only those that need it
     */
    public CsvWriter(
            Writer out,
            char delimiter,
            Character quote,
            boolean quoteAll,
            String lineEnding,
            boolean neutraliseFormulas) {
        this(out, null, delimiter, quote, quoteAll, lineEnding, neutraliseFormulas);
    }

    /**
     * Encodes in {@code charset} onto {@code out}: directly in UTF-8, through an {@link OutputStreamWriter}
     * (replacing what cannot be encoded) for any other charset.
     *
     * @param quote the quote character, or null for no quoting
     * @param quoteAll quote every non-null field, not only those that need it
     */
    public CsvWriter(
            OutputStream out,
            Charset charset,
            char delimiter,
            Character quote,
            boolean quoteAll,
            String lineEnding,
            boolean neutraliseFormulas) {
        // A surrogate delimiter or quote could pair with a value's last or first character in the stream:
        // only the JDK's stateful encoder gets that right, so such a format keeps the character path.
        this(
                direct(charset, delimiter, quote) ? null : new OutputStreamWriter(out, charset),
                direct(charset, delimiter, quote) ? out : null,
                delimiter,
                quote,
                quoteAll,
                lineEnding,
                neutraliseFormulas);
    }

    private CsvWriter(
            Writer out,
            OutputStream bytesOut,
            char delimiter,
            Character quote,
            boolean quoteAll,
            String lineEnding,
            boolean neutraliseFormulas) {
        this.out = out;
        this.bytesOut = bytesOut;
        this.delimiter = delimiter;
        this.quoting = quote != null;
        this.quote = quote == null ? 0 : quote;
        this.quoteAll = quoteAll && quote != null;
        this.lineEnding = lineEnding;
        this.lf = lineEnding.equals("\n");
        this.neutraliseFormulas = neutraliseFormulas;
        if (bytesOut == null) {
            buffer = new char[CHAR_BUFFER];
            bytes = null;
            delimiterBytes = null;
            delimiterByte = -1;
            quoteBytes = null;
            lineEndingBytes = null;
        } else {
            buffer = null;
            bytes = new byte[BYTE_BUFFER];
            delimiterBytes = String.valueOf(delimiter).getBytes(StandardCharsets.UTF_8);
            delimiterByte = delimiter < 0x80 ? delimiter : -1;
            quoteBytes = quote == null ? new byte[0] : String.valueOf(quote).getBytes(StandardCharsets.UTF_8);
            lineEndingBytes = lineEnding.getBytes(StandardCharsets.UTF_8);
            asciiSpecial['\n'] = true;
            asciiSpecial['\r'] = true;
            if (delimiter < 128) {
                asciiSpecial[delimiter] = true;
            }
            if (quoting && this.quote < 128) {
                asciiSpecial[this.quote] = true;
            }
        }
    }

    private static boolean direct(Charset charset, char delimiter, Character quote) {
        return charset.equals(StandardCharsets.UTF_8)
                && !Character.isSurrogate(delimiter)
                && (quote == null || !Character.isSurrogate(quote));
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
        for (String value : values) {
            field(value);
        }
        endRecord();
    }

    /** Appends a field to the current record. */
    public void field(String value) throws IOException {
        if (bytesOut != null) {
            utf8Field(value);
            return;
        }
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
        if (bytesOut != null) {
            if (lf && filled < BYTE_BUFFER) {
                bytes[filled++] = '\n';
            } else {
                putBytes(lineEndingBytes);
            }
        } else {
            put(lineEnding);
        }
        firstField = true;
    }

    /** Writes a whole line as it is (header and footer notes), then the line ending. */
    public void line(String text) throws IOException {
        if (bytesOut != null) {
            encode(text, false);
        } else {
            put(text);
        }
        endRecord();
    }

    @Override
    public void flush() throws IOException {
        if (bytesOut != null) {
            drainBytes();
            bytesOut.flush();
        } else {
            drain();
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (bytesOut != null) {
            drainBytes();
            bytesOut.close();
        } else {
            drain();
            out.close();
        }
    }

    private static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    // ---- UTF-8 path ----

    private void utf8Field(String value) throws IOException {
        int length = value == null ? 0 : value.length();
        if (length > ONE_PASS) {
            putDelimiter();
            utf8LongField(value, neutraliseFormulas && isFormulaStart(value.charAt(0)));
            return;
        }
        if (BYTE_BUFFER - filled < 3 * length + 16) {
            drainBytes();
        }
        putDelimiter();
        if (length == 0) {
            if (value != null && quoteAll) {
                putBytes(quoteBytes);
                putBytes(quoteBytes);
            }
            return;
        }
        boolean neutralise = neutraliseFormulas && isFormulaStart(value.charAt(0));
        // One pass: encode after room for the prefix, noting what forces quoting; quoting (rare) then
        // shifts the encoded bytes right to make room for the opening quote.
        byte[] b = bytes;
        int start = filled;
        int p = start;
        if (neutralise) {
            b[p++] = '\'';
        }
        boolean special = false;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
                special |= asciiSpecial[c];
                continue;
            }
            if (c == delimiter || quoting && c == quote) {
                special = true;
            }
            if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                p = putCodePoint(b, p, Character.toCodePoint(c, value.charAt(++i)));
            } else {
                // Unpaired (what follows a value is never a low surrogate: see direct()).
                b[p++] = '?';
            }
        }
        if (quoting
                && (quoteAll || special || isSpaceOrTab(value.charAt(0)) || isSpaceOrTab(value.charAt(length - 1)))) {
            if (special && value.indexOf(quote) >= 0) {
                // Embedded quotes are doubled: start again on the slower path.
                filled = start;
                utf8LongField(value, neutralise);
                return;
            }
            // Rare: make room for the opening quote before the prefix and the value.
            int q = quoteBytes.length;
            System.arraycopy(b, start, b, start + q, p - start);
            System.arraycopy(quoteBytes, 0, b, start, q);
            p += q;
            System.arraycopy(quoteBytes, 0, b, p, q);
            p += q;
        }
        filled = p;
    }

    /** The delimiter before every field but a record's first. */
    private void putDelimiter() throws IOException {
        if (firstField) {
            firstField = false;
        } else if (delimiterByte >= 0) {
            if (filled == BYTE_BUFFER) {
                drainBytes();
            }
            bytes[filled++] = (byte) delimiterByte;
        } else {
            putBytes(delimiterBytes);
        }
    }

    /** A field too long to encode in one pass, or holding quotes to double: character by character. */
    private void utf8LongField(String value, boolean neutralise) throws IOException {
        if (quoting && (quoteAll || needsQuotes(value))) {
            putBytes(quoteBytes);
            if (neutralise) {
                putBytes(APOSTROPHE);
            }
            encode(value, true);
            putBytes(quoteBytes);
        } else {
            if (neutralise) {
                putBytes(APOSTROPHE);
            }
            encode(value, false);
        }
    }

    private static final byte[] APOSTROPHE = {'\''};

    /** Encodes {@code s} into the buffer, draining as needed; doubles quote characters when asked. */
    private void encode(String s, boolean doubleQuotes) throws IOException {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            if (BYTE_BUFFER - filled < 8) {
                drainBytes();
            }
            char c = s.charAt(i);
            if (doubleQuotes && c == quote) {
                putBytes(quoteBytes);
            }
            byte[] b = bytes;
            int p = filled;
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                p = putCodePoint(b, p, Character.toCodePoint(c, s.charAt(++i)));
            } else {
                b[p++] = '?';
            }
            filled = p;
        }
    }

    private static int putCodePoint(byte[] b, int p, int cp) {
        b[p] = (byte) (0xF0 | cp >> 18);
        b[p + 1] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[p + 2] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[p + 3] = (byte) (0x80 | cp & 0x3F);
        return p + 4;
    }

    private void putBytes(byte[] src) throws IOException {
        if (BYTE_BUFFER - filled < src.length) {
            drainBytes();
        }
        System.arraycopy(src, 0, bytes, filled, src.length);
        filled += src.length;
    }

    private void drainBytes() throws IOException {
        if (filled > 0) {
            bytesOut.write(bytes, 0, filled);
            filled = 0;
        }
    }

    // ---- character path ----

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }

    private boolean needsQuotes(String value) {
        int length = value.length();
        if (isSpaceOrTab(value.charAt(0)) || isSpaceOrTab(value.charAt(length - 1))) {
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
        if (used == CHAR_BUFFER) {
            drain();
        }
        buffer[used++] = c;
    }

    private void put(String s) throws IOException {
        int length = s.length();
        if (length > CHAR_BUFFER - used) {
            drain();
            if (length > CHAR_BUFFER) {
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
