package io.mailshot.audience.service.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation in place, without decoding: the well-formed byte sequences of Unicode's table 3-7, so
 * overlong forms, encoded surrogates, code points above U+10FFFF, stray continuation bytes and sequences cut short
 * are all invalid. Ingested lines are stored as their bytes, so they are checked as bytes.
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A byte never valid in UTF-8; the transcoder writes it where the declared charset's input was malformed. */
    static final byte NEVER_VALID = (byte) 0xFF;

    private Utf8() {}

    /** The index of the first byte of {@code b[from, to)} that does not begin a well-formed sequence, or -1. */
    public static int invalidAt(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            // Eight ASCII bytes at a time: most of a profile line is ASCII, and this runs for every ingested line.
            while (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i >= to) {
                break;
            }
            int c = b[i];
            if (c >= 0) {
                i++; // ASCII: the common case, kept to one comparison
                continue;
            }
            c &= 0xFF;
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lo = 0xA0; // below is an overlong form
                } else if (c == 0xED) {
                    hi = 0x9F; // above is a UTF-16 surrogate
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lo = 0x90; // below is an overlong form
                } else if (c == 0xF4) {
                    hi = 0x8F; // above is beyond U+10FFFF
                }
            } else {
                return i; // a continuation byte without a lead, an overlong lead (C0, C1) or F5..FF
            }
            // A sequence cut short by the end of the line is invalid: -1 fails every range check below.
            int second = i + 1 < to ? b[i + 1] & 0xFF : -1;
            if (second < lo || second > hi) {
                return i;
            }
            for (int k = 2; k <= n; k++) {
                int next = i + k < to ? b[i + k] & 0xFF : -1;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += n + 1;
        }
        return -1;
    }

    /**
     * The 1-based column of byte {@code at} in a line starting at {@code from}, counted in characters (code points):
     * the bytes before it are well-formed, so every byte that is not a continuation byte starts one character.
     */
    public static int column(byte[] b, int from, int at) {
        int column = 1;
        for (int i = from; i < at; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return column;
    }
}
