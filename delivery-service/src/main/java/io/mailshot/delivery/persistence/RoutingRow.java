package io.mailshot.delivery.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code file_routing}. Secret columns hold ciphertext only; {@link #toString()} never prints them. */
public record RoutingRow(UUID id, String name, String type, String status, String baseFolder, Instant createdAt,
        String s3Bucket, String s3Region, String s3Endpoint, Boolean s3PathStyle, String s3AccessKeyId,
        String s3SecretAccessKeyEnc, String sftpHost, Integer sftpPort, String sftpUsername, String sftpPasswordEnc,
        String sftpPrivateKeyEnc, String sftpHostKeyFingerprint, String pgpPublicKey, String pgpKeyFingerprint) {

    @Override
    public String toString() {
        return "RoutingRow[id=" + id + ", name=" + name + ", type=" + type + ", status=" + status + "]";
    }
}
