package io.mailshot.delivery.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code file_routing}. Secret columns hold ciphertext only; {@link #toString()} never prints them. */
public record RoutingRow(
        UUID id,
        String name,
        String type,
        String status,
        String baseFolder,
        Instant createdAt,
        String s3Bucket,
        String s3Region,
        String s3Endpoint,
        Boolean s3PathStyle,
        String s3AccessKeyId,
        String s3SecretAccessKeyEnc,
        String sftpHost,
        Integer sftpPort,
        String sftpUsername,
        String sftpPasswordEnc,
        String sftpPrivateKeyEnc,
        String sftpHostKeyFingerprint,
        String pgpPublicKey,
        String pgpKeyFingerprint,
        boolean timestampFileNames,
        String s3ServerSideEncryption,
        String s3KmsKeyId,
        String azureContainer,
        String azureAccountName,
        String azureBlobEndpoint,
        String azureConnectionStringEnc) {

    /** The same row with the settings every type shares replaced. */
    public RoutingRow withCommon(String pgpKey, String pgpFingerprint, boolean timestamps) {
        return new RoutingRow(
                id,
                name,
                type,
                status,
                baseFolder,
                createdAt,
                s3Bucket,
                s3Region,
                s3Endpoint,
                s3PathStyle,
                s3AccessKeyId,
                s3SecretAccessKeyEnc,
                sftpHost,
                sftpPort,
                sftpUsername,
                sftpPasswordEnc,
                sftpPrivateKeyEnc,
                sftpHostKeyFingerprint,
                pgpKey,
                pgpFingerprint,
                timestamps,
                s3ServerSideEncryption,
                s3KmsKeyId,
                azureContainer,
                azureAccountName,
                azureBlobEndpoint,
                azureConnectionStringEnc);
    }

    /** The same row with every stored secret removed: it can no longer log in anywhere. */
    public RoutingRow withoutSecrets() {
        return new RoutingRow(
                id,
                name,
                type,
                status,
                baseFolder,
                createdAt,
                s3Bucket,
                s3Region,
                s3Endpoint,
                s3PathStyle,
                s3AccessKeyId,
                null,
                sftpHost,
                sftpPort,
                sftpUsername,
                null,
                null,
                sftpHostKeyFingerprint,
                pgpPublicKey,
                pgpKeyFingerprint,
                timestampFileNames,
                s3ServerSideEncryption,
                s3KmsKeyId,
                azureContainer,
                azureAccountName,
                azureBlobEndpoint,
                null);
    }

    @Override
    public String toString() {
        return "RoutingRow[id=" + id + ", name=" + name + ", type=" + type + ", status=" + status + "]";
    }
}
