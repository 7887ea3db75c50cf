package io.mailshot.audience.config;

import io.smallrye.config.ConfigMapping;

/** The right to erasure: the secret salt of erased identities' hashes. */
@ConfigMapping(prefix = "mailshot.erasure")
public interface ErasureConfig {

    /**
     * The HMAC-SHA-256 key an erased identity is hashed with (at least 32 characters; e.g. 32 random bytes in
     * base64). Required: no default, so a service without it does not start. Never change it once identities are
     * erased, or they could be imported again; never log it.
     */
    String salt();
}
