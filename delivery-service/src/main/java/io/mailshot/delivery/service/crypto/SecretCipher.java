package io.mailshot.delivery.service.crypto;

import io.mailshot.delivery.config.SecretsConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts routing secrets at rest with AES-256-GCM. A stored value is {@code v1:<keyId>:<base64(iv|ciphertext)>}
 * with a random 12-byte IV; the additional authenticated data binds it to its routing and field, so a
 * ciphertext copied to another row or column does not decrypt.
 */
@Startup
@Singleton
public class SecretCipher {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final Map<String, SecretKeySpec> keys;

    @Inject
    public SecretCipher(SecretsConfig config) {
        this(config.keyId(), decodeKey("mailshot.secrets.key", config.key()), decodeKeys(config.previousKeys()));
    }

    private SecretCipher(String keyId, byte[] key, Map<String, byte[]> previous) {
        if (keyId == null || keyId.isBlank() || keyId.contains(":")) {
            throw new IllegalStateException("mailshot.secrets.key-id must be a non-blank id without ':'");
        }
        this.keyId = keyId;
        this.keys = new LinkedHashMap<>();
        previous.forEach((id, bytes) ->
                keys.put(id, new SecretKeySpec(checkLength("mailshot.secrets.previous-keys." + id, bytes), "AES")));
        keys.put(keyId, new SecretKeySpec(checkLength("mailshot.secrets.key", key), "AES"));
    }

    /** A cipher from raw keys (tests, tools). */
    public static SecretCipher of(String keyId, byte[] key, Map<String, byte[]> previousKeys) {
        return new SecretCipher(keyId, key, previousKeys);
    }

    /** Encrypts {@code plaintext} for field {@code field} of routing {@code routingId} with the current key. */
    public String encrypt(UUID routingId, String field, String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(keyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(routingId, field));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret encryption failed", e);
        }
    }

    /** Decrypts a stored value; fails when it was tampered with, moved, or written with an unknown key. */
    public String decrypt(UUID routingId, String field, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SecretException("stored secret " + field + " has an unknown format");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretException("stored secret " + field + " was written with unknown key id " + parts[1]);
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            if (in.length < IV_BYTES + TAG_BITS / 8) {
                throw new SecretException("stored secret " + field + " is truncated");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(aad(routingId, field));
            byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Never include the value: only say that it failed authentication.
            throw new SecretException("stored secret " + field + " failed authentication (tampered or wrong key)");
        }
    }

    private static byte[] aad(UUID routingId, String field) {
        return (routingId + ":" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> decodeKeys(Map<String, String> encoded) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        encoded.forEach((id, value) -> keys.put(id, decodeKey("mailshot.secrets.previous-keys." + id, value)));
        return keys;
    }

    private static byte[] decodeKey(String property, String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(property + " is missing: set it (env MAILSHOT_SECRETS_KEY) to the base64"
                    + " of 32 random bytes, e.g. `openssl rand -base64 32`");
        }
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not valid base64; expected the base64 of 32 random bytes");
        }
    }

    private static byte[] checkLength(String property, byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalStateException(property + " must be the base64 of exactly 32 bytes (AES-256), got "
                    + (key == null ? 0 : key.length) + " bytes");
        }
        return key;
    }

    /** A stored secret that cannot be read. The message never contains the secret. */
    public static class SecretException extends RuntimeException {
        public SecretException(String message) {
            super(message);
        }
    }
}
