package io.mailshot.delivery.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A routing as the API shows it: never a secret, only whether one is set. {@code pgpKeyFingerprint} (absent when
 * files are not encrypted) is the primary-key fingerprint of the routing's OpenPGP public key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingView(UUID id, String name, String type, String status, String baseFolder, Instant createdAt,
        S3View s3, SftpView sftp, String pgpKeyFingerprint, AzureBlobView azureBlob, boolean timestampFileNames) {

    /** S3 settings without the secret access key. */
    public record S3View(String bucket, String region, String endpoint, boolean pathStyle, String accessKeyId,
            boolean secretAccessKeySet, String serverSideEncryption, String kmsKeyId) {
    }

    /** SFTP settings without password or private key. */
    public record SftpView(String host, int port, String username, String hostKeyFingerprint, boolean passwordSet,
            boolean privateKeySet) {
    }

    /** Azure Blob settings: the non-secret parts of the connection string, never the string or its key. */
    public record AzureBlobView(String accountName, String blobEndpoint, String container,
            boolean connectionStringSet) {
    }
}
