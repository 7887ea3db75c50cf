package io.mailshot.audience.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without ever holding more than one line (capped) in memory. A line
 * longer than the cap is skipped to its end and reported as too long instead of being buffered.
 */
final class NdjsonLines {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[8 * 1024];
    private int length;
    private boolean tooLong;

    NdjsonLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
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
    boolean tooLong() {
        return tooLong || length > maxLineBytes;
    }

    /** True when the current line holds only whitespace. */
    boolean blank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }
}
