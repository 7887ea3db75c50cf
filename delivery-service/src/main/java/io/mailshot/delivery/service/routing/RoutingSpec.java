package io.mailshot.delivery.service.routing;

/**
 * A routing as an admin wants it, checked field by field at the edge; the routing service checks the rules that
 * span fields. Exactly one settings block is expected (the one of {@code type}); a null secret on update keeps
 * the stored one. {@code toString()} of every block leaves the secrets out.
 */
public record RoutingSpec(
        String name,
        RoutingType type,
        RoutingStatus status,
        String baseFolder,
        S3 s3,
        Sftp sftp,
        String pgpPublicKey,
        AzureBlob azureBlob,
        boolean timestampFileNames) {

    /** S3 settings; {@code secretAccessKey} null keeps the stored one. */
    public record S3(
            String bucket,
            String region,
            String endpoint,
            Boolean pathStyle,
            String accessKeyId,
            String secretAccessKey,
            String serverSideEncryption,
            String kmsKeyId) {

        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + "]";
        }
    }

    /** SFTP settings; neither password nor private key keeps the stored credential. */
    public record Sftp(
            String host, Integer port, String username, String password, String privateKey, String hostKeyFingerprint) {

        @Override
        public String toString() {
            return "Sftp[host=" + host + ", port=" + port + ", username=" + username + "]";
        }
    }

    /** Azure Blob settings; {@code connectionString} (it holds the account key) null keeps the stored one. */
    public record AzureBlob(String connectionString, String container) {

        @Override
        public String toString() {
            return "AzureBlob[container=" + container + "]";
        }
    }
}
