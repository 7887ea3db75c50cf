package io.mailshot.audience.service.erasure;

import io.mailshot.audience.config.ErasureConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The salted hash an erased identity is remembered by: HMAC-SHA-256 of {@code namespace \n id} under the secret
 * salt, in hex. Without the salt nobody can test a guessed identity against the stored hashes.
 */
@ApplicationScoped
public class IdentityHash {

    private static final int MIN_SALT = 32;

    private final SecretKeySpec key;

    public IdentityHash(ErasureConfig config) {
        String salt = config.salt();
        if (salt == null || salt.strip().length() < MIN_SALT) {
            // Said without the value: a salt is a secret.
            throw new IllegalStateException("mailshot.erasure.salt must be at least " + MIN_SALT
                    + " characters (e.g. 32 random bytes, base64)");
        }
        this.key = new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** One keyed MAC per thread: every ingested line is hashed, and a Mac is not thread-safe. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The hash of one identity (a line break cannot occur in a namespace, so the pair is unambiguous). */
    public String of(String namespace, String id) {
        // doFinal resets the MAC for the next identity.
        return HexFormat.of().formatHex(macs.get().doFinal((namespace + "\n" + id).getBytes(StandardCharsets.UTF_8)));
    }
}
