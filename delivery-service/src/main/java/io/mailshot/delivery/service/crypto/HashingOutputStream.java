package io.mailshot.delivery.service.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts, SHA-256- and MD5-hashes the bytes written through it (what actually goes to the destination, i.e.
 * after encryption), so the published file can be checked without reading it back. Closing does not close the
 * destination stream. The SHA-256 can be left out when the caller already has it: a file copied as it is has
 * the SHA-256 its source was verified against.
 */
public final class HashingOutputStream extends FilterOutputStream {

    /** Null when not asked for. */
    private final MessageDigest sha256;

    private final MessageDigest md5;
    private long count;

    public HashingOutputStream(OutputStream out, boolean withSha256) {
        super(out);
        try {
            this.sha256 = withSha256 ? MessageDigest.getInstance("SHA-256") : null;
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        if (sha256 != null) {
            sha256.update((byte) b);
        }
        md5.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (sha256 != null) {
            sha256.update(b, off, len);
        }
        md5.update(b, off, len);
        count += len;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    public long count() {
        return count;
    }

    /** Lowercase hex SHA-256 of everything written, or null when not asked for; call once, at the end. */
    public String sha256() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256.digest());
    }

    /** Lowercase hex MD5 of everything written; call once, at the end. */
    public String md5() {
        return HexFormat.of().formatHex(md5.digest());
    }
}
