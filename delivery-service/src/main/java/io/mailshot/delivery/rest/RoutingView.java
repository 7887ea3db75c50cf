package io.mailshot.delivery.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailshot.delivery.persistence.RoutingRow;
import io.mailshot.delivery.service.routing.RoutingType;
import java.time.Instant;
import java.util.UUID;

/**
 * A routing as the API shows it: never a secret, only whether one is set. {@code pgpKeyFingerprint} (absent when
 * files are not encrypted) is the primary-key fingerprint of the routing's OpenPGP public key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingView(
        UUID id,
        String name,
        String type,
        String status,
        String baseFolder,
        Instant createdAt,
        S3View s3,
        SftpView sftp,
        String pgpKeyFingerprint,
        AzureBlobView azureBlob,
        boolean timestampFileNames) {

    /** S3 settings without the secret access key. */
    public record S3View(
            String bucket,
            String region,
            String endpoint,
            boolean pathStyle,
            String accessKeyId,
            boolean secretAccessKeySet,
            String serverSideEncryption,
            String kmsKeyId) {}

    /** SFTP settings without password or private key. */
    public record SftpView(
            String host,
            int port,
            String username,
            String hostKeyFingerprint,
            boolean passwordSet,
            boolean privateKeySet) {}

    /** Azure Blob settings: the non-secret parts of the connection string, never the string or its key. */
    public record AzureBlobView(
            String accountName, String blobEndpoint, String container, boolean connectionStringSet) {}

    /** The routing as shown: whether each secret is set, never the secret. */
    public static RoutingView of(RoutingRow r) {
        RoutingView.S3View s3 = null;
        RoutingView.SftpView sftp = null;
        RoutingView.AzureBlobView azure = null;
        if (RoutingType.S3.name().equals(r.type())) {
            s3 = new RoutingView.S3View(
                    r.s3Bucket(),
                    r.s3Region(),
                    r.s3Endpoint(),
                    Boolean.TRUE.equals(r.s3PathStyle()),
                    r.s3AccessKeyId(),
                    r.s3SecretAccessKeyEnc() != null,
                    r.s3ServerSideEncryption(),
                    r.s3KmsKeyId());
        } else if (RoutingType.AZURE_BLOB.name().equals(r.type())) {
            azure = new RoutingView.AzureBlobView(
                    r.azureAccountName(),
                    r.azureBlobEndpoint(),
                    r.azureContainer(),
                    r.azureConnectionStringEnc() != null);
        } else {
            sftp = new RoutingView.SftpView(
                    r.sftpHost(),
                    r.sftpPort(),
                    r.sftpUsername(),
                    r.sftpHostKeyFingerprint(),
                    r.sftpPasswordEnc() != null,
                    r.sftpPrivateKeyEnc() != null);
        }
        return new RoutingView(
                r.id(),
                r.name(),
                r.type(),
                r.status(),
                r.baseFolder(),
                r.createdAt(),
                s3,
                sftp,
                r.pgpKeyFingerprint(),
                azure,
                r.timestampFileNames());
    }
}
