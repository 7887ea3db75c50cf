package io.mailshot.delivery.service.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** AES-256-GCM secret encryption: round trip, tamper detection, binding to routing and field, key rotation. */
class SecretCipherTest {

    private static final String SECRET = "s3cr3t-Pa55word!";

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void roundTripWithRandomIv() {
        SecretCipher cipher = SecretCipher.of("k1", key(), Map.of());
        UUID routing = UUID.randomUUID();
        String first = cipher.encrypt(routing, "sftp.password", SECRET);
        String second = cipher.encrypt(routing, "sftp.password", SECRET);
        assertTrue(first.startsWith("v1:k1:"), first);
        assertFalse(first.contains(SECRET));
        assertNotEquals(first, second, "a fresh IV makes every ciphertext different");
        assertEquals(SECRET, cipher.decrypt(routing, "sftp.password", first));
        assertEquals(SECRET, cipher.decrypt(routing, "sftp.password", second));
        byte[] raw = Base64.getDecoder().decode(first.substring("v1:k1:".length()));
        assertEquals(12 + SECRET.length() + 16, raw.length, "iv | ciphertext | 16-byte tag");
    }

    @Test
    void tamperedCiphertextIsRejected() {
        SecretCipher cipher = SecretCipher.of("k1", key(), Map.of());
        UUID routing = UUID.randomUUID();
        String stored = cipher.encrypt(routing, "s3.secretAccessKey", SECRET);
        byte[] raw = Base64.getDecoder().decode(stored.substring("v1:k1:".length()));
        raw[raw.length - 20] ^= 0x01;
        String tampered = "v1:k1:" + Base64.getEncoder().encodeToString(raw);
        SecretCipher.SecretException e = assertThrows(
                SecretCipher.SecretException.class, () -> cipher.decrypt(routing, "s3.secretAccessKey", tampered));
        assertFalse(e.getMessage().contains(SECRET));
        assertThrows(
                SecretCipher.SecretException.class, () -> cipher.decrypt(routing, "s3.secretAccessKey", "garbage"));
        assertThrows(
                SecretCipher.SecretException.class, () -> cipher.decrypt(routing, "s3.secretAccessKey", "v1:k1:AAAA"));
    }

    @Test
    void ciphertextIsBoundToRoutingAndField() {
        SecretCipher cipher = SecretCipher.of("k1", key(), Map.of());
        UUID routing = UUID.randomUUID();
        String stored = cipher.encrypt(routing, "sftp.password", SECRET);
        assertThrows(
                SecretCipher.SecretException.class, () -> cipher.decrypt(UUID.randomUUID(), "sftp.password", stored));
        assertThrows(SecretCipher.SecretException.class, () -> cipher.decrypt(routing, "sftp.privateKey", stored));
    }

    @Test
    void rotationReadsOldKeysAndWritesWithTheNewOne() {
        byte[] oldKey = key();
        byte[] newKey = key();
        UUID routing = UUID.randomUUID();
        String written = SecretCipher.of("k1", oldKey, Map.of()).encrypt(routing, "sftp.password", SECRET);

        SecretCipher rotated = SecretCipher.of("k2", newKey, Map.of("k1", oldKey));
        assertEquals(SECRET, rotated.decrypt(routing, "sftp.password", written));
        String rewritten = rotated.encrypt(routing, "sftp.password", SECRET);
        assertTrue(rewritten.startsWith("v1:k2:"));

        SecretCipher withoutOld = SecretCipher.of("k2", newKey, Map.of());
        SecretCipher.SecretException e = assertThrows(
                SecretCipher.SecretException.class, () -> withoutOld.decrypt(routing, "sftp.password", written));
        assertTrue(e.getMessage().contains("unknown key id k1"), e.getMessage());
    }

    @Test
    void wrongKeyLengthFailsClearly() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> SecretCipher.of("k1", new byte[16], Map.of()));
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
    }
}
