package io.mailshot.audience.service.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a UTF-8 byte stream into lines without ever holding more than one line (capped) in memory. A line
 * longer than the cap is skipped to its end and reported as too long instead of being buffered. Lines are
 * split on the byte 0x0A, which in UTF-8 is never part of another character, so a bad byte sequence stays
 * within its line ({@link #invalidAt()} finds it).
 */
public final class NdjsonLines {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[8 * 1024];
    private int length;
    private boolean tooLong;

    public NdjsonLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Advances to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        length = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int n = in.read(buffer);
                if (n <= 0) {
                    pos = 0;
                    limit = 0;
                    return any;
                }
                pos = 0;
                limit = n;
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // the newline itself
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return true;
            }
        }
    }

    private void append(int start, int n) {
        if (tooLong || n == 0) {
            return;
        }
        // One byte of slack for a trailing '\r' that is stripped afterwards.
        if ((long) length + n > maxLineBytes + 1L) {
            tooLong = true;
            length = 0;
            return;
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(length + n, Math.min(line.length * 2, maxLineBytes + 1)));
        }
        System.arraycopy(buffer, start, line, length, n);
        length += n;
    }

    /** True when the current line exceeded the cap; its bytes were dropped. */
    public boolean tooLong() {
        return tooLong || length > maxLineBytes;
    }

    /** True when the current line holds only whitespace. */
    public boolean blank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** True when the line starts with a UTF-8 byte-order mark (EF BB BF). */
    public boolean startsWithBom() {
        return length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF;
    }

    /** Drops the byte-order mark the line starts with (the body's first line only). */
    public void dropBom() {
        System.arraycopy(line, 3, line, 0, length - 3);
        length -= 3;
    }

    /** The index of the line's first byte that is not well-formed UTF-8, or -1 when the line is valid. */
    public int invalidAt() {
        return Utf8.invalidAt(line, 0, length);
    }

    /** The 1-based column, in characters, of the byte at {@code index} of a line valid before it. */
    public int column(int index) {
        return Utf8.column(line, 0, index);
    }

    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }
}
