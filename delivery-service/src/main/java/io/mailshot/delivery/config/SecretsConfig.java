package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;
import java.util.Map;

/** The key that encrypts routing secrets at rest, and older keys kept to read data written before a rotation. */
@ConfigMapping(prefix = "mailshot.secrets")
public interface SecretsConfig {

    /** Base64 of exactly 32 random bytes (AES-256). In production from env MAILSHOT_SECRETS_KEY; no default. */
    @Pattern(regexp = KEY_PATTERN, message = KEY_MESSAGE)
    String key();

    /** Short id of {@link #key()}, written into every ciphertext so a later rotation knows which key to use. */
    @Pattern(regexp = "^[A-Za-z0-9_.-]{1,32}$", message = "must be 1-32 letters, digits, '_', '.' or '-'")
    String keyId();

    /** Retired keys by key id (base64 of 32 bytes each): used only to decrypt values written with them. */
    Map<String, @Pattern(regexp = KEY_PATTERN, message = KEY_MESSAGE) String> previousKeys();

    /** Checked at startup, before anything else, so a bad key fails fast with a clear message. */
    String KEY_PATTERN = "^\\s*[A-Za-z0-9+/]{43}=\\s*$";

    String KEY_MESSAGE = "must be the base64 of exactly 32 random bytes (AES-256), e.g. `openssl rand -base64 32`";
}
