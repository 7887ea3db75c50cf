package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** The key that encrypts routing secrets at rest, and older keys kept to read data written before a rotation. */
@ConfigMapping(prefix = "mailshot.secrets")
public interface SecretsConfig {

    /** Base64 of exactly 32 random bytes (AES-256). In production from env MAILSHOT_SECRETS_KEY; no default. */
    String key();

    /** Short id of {@link #key()}, written into every ciphertext so a later rotation knows which key to use. */
    String keyId();

    /** Retired keys by key id (base64 of 32 bytes each): used only to decrypt values written with them. */
    Map<String, String> previousKeys();
}
