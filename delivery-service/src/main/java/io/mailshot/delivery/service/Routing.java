package io.mailshot.delivery.service;

import java.util.UUID;

/**
 * A routing with its secrets decrypted, held in memory only for the duration of a delivery. The
 * {@code toString()}s never print a secret.
 */
public record Routing(UUID id, String name, RoutingType type, RoutingStatus status, String baseFolder,
        PgpEncryption pgp, S3Target s3, SftpTarget sftp) {

    /** An S3 destination. */
    public record S3Target(String bucket, String region, String endpoint, boolean pathStyle, String accessKeyId,
            String secretAccessKey) {
        @Override
        public String toString() {
            return "S3Target[bucket=" + bucket + "]";
        }
    }

    /** An SFTP destination; exactly one of password and privateKey is set. */
    public record SftpTarget(String host, int port, String username, String password, String privateKey,
            String hostKeyFingerprint) {
        @Override
        public String toString() {
            return "SftpTarget[" + username + "@" + host + ":" + port + "]";
        }
    }

    /** Where files land, for humans and events: {@code s3://bucket/prefix} or {@code sftp://user@host:port/folder}. */
    public String destination() {
        String folder = baseFolder == null ? "" : baseFolder;
        return switch (type) {
            case S3 -> "s3://" + s3.bucket() + "/" + folder;
            case SFTP -> "sftp://" + sftp.username() + "@" + sftp.host() + ":" + sftp.port() + "/" + folder;
        };
    }

    /** Every secret value of this routing, so error texts can be scrubbed of them defensively. */
    public java.util.List<String> secrets() {
        java.util.List<String> secrets = new java.util.ArrayList<>();
        if (s3 != null && s3.secretAccessKey() != null) {
            secrets.add(s3.secretAccessKey());
        }
        if (sftp != null && sftp.password() != null) {
            secrets.add(sftp.password());
        }
        if (sftp != null && sftp.privateKey() != null) {
            secrets.add(sftp.privateKey());
        }
        return secrets;
    }

    @Override
    public String toString() {
        return "Routing[id=" + id + ", name=" + name + ", type=" + type + ", status=" + status + "]";
    }
}
