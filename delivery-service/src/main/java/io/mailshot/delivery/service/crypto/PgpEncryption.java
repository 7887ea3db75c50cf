package io.mailshot.delivery.service.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * OpenPGP encryption of delivered files to a routing's public key (Bouncy Castle, lightweight API). Output is
 * streamed: memory is a couple of fixed buffers whatever the file size.
 */
public final class PgpEncryption {

    /** Suffix of delivered names when a routing encrypts. */
    public static final String SUFFIX = ".pgp";

    private static final int BUFFER = 1 << 16;

    private final PGPPublicKey encryptionKey;
    private final String fingerprint;

    private PgpEncryption(PGPPublicKey encryptionKey, String fingerprint) {
        this.encryptionKey = encryptionKey;
        this.fingerprint = fingerprint;
    }

    /**
     * Parses an ASCII-armoured OpenPGP public key and picks its encryption key. Throws
     * {@link IllegalArgumentException} with a plain-words reason when it cannot be used.
     */
    public static PgpEncryption parse(String armoured) {
        if (armoured == null || armoured.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String text = armoured.strip();
        if (text.contains("PRIVATE KEY BLOCK")) {
            throw new IllegalArgumentException("is a PRIVATE key: submit the public key"
                    + " (gpg --armor --export <key id>), never the private one");
        }
        if (!text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            throw new IllegalArgumentException("must be an ASCII-armoured OpenPGP public key starting with"
                    + " -----BEGIN PGP PUBLIC KEY BLOCK----- (gpg --armor --export <key id>)");
        }
        PGPPublicKeyRingCollection rings;
        try (InputStream in =
                PGPUtil.getDecoderStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
            rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "is not a readable OpenPGP public key (" + e.getClass().getSimpleName() + ")");
        }
        Iterator<PGPPublicKeyRing> it = rings.getKeyRings();
        if (!it.hasNext()) {
            throw new IllegalArgumentException("contains no public key");
        }
        PGPPublicKeyRing ring = it.next();
        PGPPublicKey chosen = null;
        // Prefer an encryption subkey (what gpg creates), then an encryption-capable primary key.
        for (PGPPublicKey key : ring) {
            if (key.isEncryptionKey() && usable(key) && (chosen == null || chosen.isMasterKey())) {
                chosen = key;
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException("has no valid (unexpired, unrevoked) encryption key");
        }
        String fingerprint =
                HexFormat.of().withUpperCase().formatHex(ring.getPublicKey().getFingerprint());
        return new PgpEncryption(chosen, fingerprint);
    }

    private static boolean usable(PGPPublicKey key) {
        if (key.hasRevocation()) {
            return false;
        }
        long valid = key.getValidSeconds();
        return valid <= 0
                || key.getCreationTime().toInstant().plusSeconds(valid).isAfter(Instant.now());
    }

    /** Fingerprint (hex) of the key's primary key, as {@code gpg --fingerprint} shows it. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * A stream that encrypts what is written to it into {@code out} (binary OpenPGP: compressed literal data in
     * an integrity-protected encrypted packet). Closing it finishes the OpenPGP packets but leaves {@code out}
     * open.
     */
    public OutputStream encrypt(OutputStream out, String fileName) throws IOException {
        PGPEncryptedDataGenerator encrypted =
                new PGPEncryptedDataGenerator(new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(true)
                        .setSecureRandom(new SecureRandom()));
        encrypted.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(encryptionKey));
        try {
            OutputStream encryptedOut = encrypted.open(out, new byte[BUFFER]);
            PGPCompressedDataGenerator compressed = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZIP);
            OutputStream compressedOut = compressed.open(encryptedOut);
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            OutputStream literalOut =
                    literal.open(compressedOut, PGPLiteralData.BINARY, fileName, new Date(), new byte[BUFFER]);
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    literalOut.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    literalOut.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    literal.close();
                    compressed.close();
                    encrypted.close();
                }
            };
        } catch (PGPException e) {
            throw new IOException("OpenPGP encryption failed: " + e.getMessage(), e);
        }
    }
}
