package io.mailshot.delivery.service.routing;

import io.mailshot.delivery.service.crypto.PgpEncryption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A routing with its secrets decrypted, held in memory only for the duration of a delivery. The
 * {@code toString()}s never print a secret.
 */
public record Routing(
        UUID id,
        String name,
        RoutingType type,
        RoutingStatus status,
        String baseFolder,
        PgpEncryption pgp,
        S3Target s3,
        SftpTarget sftp,
        AzureTarget azure,
        boolean timestampFileNames) {

    /** An S3 destination; {@code serverSideEncryption} is null, AES256 or aws:kms. */
    public record S3Target(
            String bucket,
            String region,
            String endpoint,
            boolean pathStyle,
            String accessKeyId,
            String secretAccessKey,
            String serverSideEncryption,
            String kmsKeyId) {
        @Override
        public String toString() {
            return "S3Target[bucket=" + bucket + "]";
        }
    }

    /** An SFTP destination; exactly one of password and privateKey is set. */
    public record SftpTarget(
            String host, int port, String username, String password, String privateKey, String hostKeyFingerprint) {
        @Override
        public String toString() {
            return "SftpTarget[" + username + "@" + host + ":" + port + "]";
        }
    }

    /** An Azure Blob container; {@code connectionString} holds the account key. */
    public record AzureTarget(String connectionString, AzureConnectionString parsed, String container) {
        @Override
        public String toString() {
            return "AzureTarget[" + parsed.blobEndpoint() + "/" + container + "]";
        }
    }

    /**
     * Where files land, for humans and events: {@code s3://bucket/prefix}, {@code sftp://user@host:port/folder}
     * or {@code <blob endpoint>/<container>/prefix}.
     */
    public String destination() {
        return destination(baseFolder);
    }

    /** As {@link #destination()}, for another folder (a run's folder under the base folder). */
    public String destination(String folder) {
        String f = folder == null ? "" : folder;
        return switch (type) {
            case S3 -> "s3://" + s3.bucket() + "/" + f;
            case SFTP -> "sftp://" + sftp.username() + "@" + HostNames.withPort(sftp.host(), sftp.port()) + "/" + f;
            case AZURE_BLOB -> azure.parsed().blobEndpoint() + "/" + azure.container() + "/" + f;
        };
    }

    /**
     * The request field of the secret this routing lacks (it was dropped when its destination changed without it),
     * or null when it can log in.
     */
    public String missingSecret() {
        return switch (type) {
            case S3 -> s3.secretAccessKey() == null ? RoutingService.S3_SECRET : null;
            case SFTP ->
                sftp.password() == null && sftp.privateKey() == null ? "sftp.password or sftp.privateKey" : null;
            case AZURE_BLOB -> azure.connectionString() == null ? RoutingService.AZURE_CONNECTION_STRING : null;
        };
    }

    /** Every secret value of this routing, so error texts can be scrubbed of them defensively. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        if (s3 != null && s3.secretAccessKey() != null) {
            secrets.add(s3.secretAccessKey());
        }
        if (sftp != null && sftp.password() != null) {
            secrets.add(sftp.password());
        }
        if (sftp != null && sftp.privateKey() != null) {
            secrets.add(sftp.privateKey());
        }
        if (azure != null && azure.connectionString() != null) {
            secrets.add(azure.connectionString());
        }
        if (azure != null && azure.parsed().accountKey() != null) {
            secrets.add(azure.parsed().accountKey());
        }
        return secrets;
    }

    @Override
    public String toString() {
        return "Routing[id=" + id + ", name=" + name + ", type=" + type + ", status=" + status + "]";
    }

    /** Defence in depth: no error text may ever carry one of the routing's secrets. */
    public String scrub(String reason) {
        String result = reason == null ? "unknown error" : reason;
        for (String secret : secrets()) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result.length() > 1000 ? result.substring(0, 1000) + "…" : result;
    }
}
