package io.mailshot.delivery.service.crypto;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Parses SFTP private keys given as OpenSSH/PEM text or the base64 of that text. */
public final class KeyMaterial {

    public static final String PUTTY_HINT = "PuTTY keys are not supported: convert it with"
            + " `puttygen key.ppk -O private-openssh -o key` and submit the OpenSSH key";

    private KeyMaterial() {}

    /** The key text: the input itself if it is PEM/OpenSSH, else its base64 decoding. */
    public static String text(String input) {
        String trimmed = input.strip();
        if (trimmed.startsWith("-----BEGIN") || trimmed.startsWith("PuTTY-User-Key-File")) {
            return trimmed;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(trimmed), StandardCharsets.UTF_8).strip();
        } catch (IllegalArgumentException e) {
            return trimmed;
        }
    }

    /** True when the key is in PuTTY's .ppk format (directly or base64-encoded). */
    public static boolean isPutty(String input) {
        return text(input).startsWith("PuTTY-User-Key-File");
    }

    /**
     * The key pairs in the text. Throws {@link IllegalArgumentException} (without any key material in the
     * message) when it is not a readable, unencrypted private key.
     */
    public static List<KeyPair> parse(String input) {
        String text = text(input);
        if (text.startsWith("PuTTY-User-Key-File")) {
            throw new IllegalArgumentException(PUTTY_HINT);
        }
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName("routing-key"),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    null);
            List<KeyPair> list = new ArrayList<>();
            if (pairs != null) {
                pairs.forEach(list::add);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("no private key found");
            }
            return list;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // The parser's message may quote parts of the input: say only what kind of problem it is.
            throw new IllegalArgumentException("not a readable unencrypted OpenSSH or PEM private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
