package io.mailshot.audience.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, sent to a {@link CopyIn} in chunks as they fill: a header, then per
 * row a field count and each field as a length and its bytes (-1 for null), then a trailer. No SQL text per row and
 * no parsing on the server; memory is one chunk whatever the number of rows.
 */
final class BinaryCopy {

    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };
    /** Bytes buffered before they are handed to the connection. */
    private static final int CHUNK = 64 * 1024;

    private final CopyIn copy;
    private byte[] bytes = new byte[CHUNK + 1024];
    private int length;

    BinaryCopy(CopyIn copy) {
        this.copy = copy;
        System.arraycopy(HEADER, 0, bytes, 0, HEADER.length);
        length = HEADER.length;
    }

    /** Starts a row of {@code fields} fields. */
    void row(int fields) throws SQLException {
        if (length >= CHUNK) {
            flush();
        }
        ensure(2);
        putShort(fields);
    }

    void uuid(byte[] sixteen) {
        ensure(20);
        putInt(16);
        System.arraycopy(sixteen, 0, bytes, length, 16);
        length += 16;
    }

    void int8(long value) {
        ensure(12);
        putInt(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (value >>> shift);
        }
    }

    void int4(int value) {
        ensure(8);
        putInt(4);
        putInt(value);
    }

    void bool(boolean value) {
        ensure(5);
        putInt(1);
        bytes[length++] = (byte) (value ? 1 : 0);
    }

    void text(String value) {
        if (value == null) {
            nul();
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ensure(4 + utf8.length);
        putInt(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
    }

    void nul() {
        ensure(4);
        putInt(-1);
    }

    /** Sends the trailer and ends the copy; returns the rows PostgreSQL took. */
    long end() throws SQLException {
        ensure(2);
        putShort(-1);
        flush();
        return copy.endCopy();
    }

    /** Abandons the copy: nothing of it is written. */
    void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            // The connection may be broken already; the transaction it belongs to fails with it.
        }
    }

    /** Hands what is buffered to the connection. */
    void flush() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(bytes, 0, length);
            length = 0;
        }
    }

    static byte[] uuidBytes(UUID id) {
        byte[] b = new byte[16];
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return b;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private void putShort(int value) {
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void putInt(int value) {
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }
}
