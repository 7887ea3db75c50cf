package io.mailshot.audience.service.resolution;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The deterministic holdout sample of one run: a profile is held out when the SHA-256 of
 * {@code runId \n namespace \n identity}, read as an unsigned 64-bit number modulo 10,000, is below
 * {@code percent × 100}. The same run always holds out the same profiles; another run draws another sample.
 * Not thread-safe: one instance per resolution attempt.
 */
public final class Holdout {

    private final String run;
    private final long threshold;
    private final MessageDigest sha256;

    public Holdout(UUID runId, int percent) {
        if (percent < 0 || percent > 50) {
            throw new IllegalArgumentException("holdout percent must be within 0–50");
        }
        this.run = runId.toString();
        this.threshold = percent * 100L;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    public boolean heldOut(String namespace, String identity) {
        if (threshold == 0) {
            return false;
        }
        byte[] digest = sha256.digest((run + "\n" + namespace + "\n" + identity).getBytes(StandardCharsets.UTF_8));
        long bucket = Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), 10_000);
        return bucket < threshold;
    }
}
