package io.mailshot.audience.service.ingest;

import java.io.IOException;
import java.io.InputStream;

/**
 * A body in another declared charset, as UTF-8 bytes, so NDJSON lines are split, checked and stored the same
 * way whatever the charset. A byte sequence the declared charset does not allow becomes {@link Utf8#NEVER_VALID}
 * (a byte never valid in UTF-8), which the line check then reports at its line and column.
 */
public final class Utf8Transcoding extends InputStream {

    private final StrictDecoder chars;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos;
    private int limit;
    /** A character read ahead after a high surrogate that turned out not to be paired; -3 when none. */
    private int ahead = -3;

    public Utf8Transcoding(StrictDecoder chars) {
        this.chars = chars;
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit && !fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    private int next() throws IOException {
        if (ahead != -3) {
            int c = ahead;
            ahead = -3;
            return c;
        }
        return chars.read();
    }

    private boolean fill() throws IOException {
        pos = 0;
        limit = 0;
        while (limit + 4 <= buffer.length) {
            int c = next();
            if (c == -1) {
                break;
            }
            if (c == StrictDecoder.MALFORMED) {
                buffer[limit++] = Utf8.NEVER_VALID;
            } else if (c < 0x80) {
                buffer[limit++] = (byte) c;
            } else if (c < 0x800) {
                buffer[limit++] = (byte) (0xC0 | c >> 6);
                buffer[limit++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate((char) c)) {
                int d = next();
                if (d >= 0 && Character.isLowSurrogate((char) d)) {
                    int cp = Character.toCodePoint((char) c, (char) d);
                    buffer[limit++] = (byte) (0xF0 | cp >> 18);
                    buffer[limit++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    buffer[limit++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    buffer[limit++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    buffer[limit++] = Utf8.NEVER_VALID; // a lone surrogate is no character
                    ahead = d;
                }
            } else if (Character.isLowSurrogate((char) c)) {
                buffer[limit++] = Utf8.NEVER_VALID;
            } else {
                buffer[limit++] = (byte) (0xE0 | c >> 12);
                buffer[limit++] = (byte) (0x80 | c >> 6 & 0x3F);
                buffer[limit++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return limit > 0;
    }
}
