package io.mailshot.delivery.service.crypto;

import io.mailshot.kit.health.WorkWatch;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and SHA-256-hashes the bytes that stream through it, so a copy is verified without a second read. */
public final class HashingInputStream extends FilterInputStream {

    private final MessageDigest digest;
    private long count;

    public HashingInputStream(InputStream in) {
        super(in);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
            // A long upload is progress, not a stuck worker (readiness).
            WorkWatch.progressedHere();
        }
        return n;
    }

    @Override
    public long skip(long n) {
        // Skipping would break the hash; copies never skip.
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    public long count() {
        return count;
    }

    /** Lowercase hex SHA-256 of everything read; call once, at the end. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
