package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.routing.RoutingSpec;
import io.mailshot.delivery.service.routing.RoutingStatus;
import io.mailshot.delivery.service.routing.RoutingType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /file-routings/{id}}: the full routing as it should be, except secrets, which are kept
 * unless a new value is sent. {@code type} must be the routing's type; {@code status} null keeps it;
 * {@code pgpPublicKey} null removes encryption; {@code timestampFileNames} null means false.
 */
public record UpdateRoutingRequest(
        @NotBlank
        @Pattern(
                regexp = "^[A-Za-z][A-Za-z0-9_.-]{0,99}$",
                message = "must start with a letter and contain only letters, digits, '_', '.', '-' (max 100)")
        String name,

        @NotNull RoutingType type,
        RoutingStatus status,
        @Size(max = 1024) String baseFolder,
        @Valid S3UpdateSettings s3,
        @Valid SftpSettings sftp,
        @Size(max = 65536) String pgpPublicKey,
        @Valid AzureBlobSettings.Update azureBlob,
        Boolean timestampFileNames) {

    /** The routing as it should be; secrets left out (null or empty) keep the stored ones. */
    public RoutingSpec toSpec() {
        return new RoutingSpec(
                name,
                type,
                status,
                baseFolder,
                s3 == null ? null : s3.toSettings().toSpec(),
                sftp == null ? null : sftp.toSpec(),
                pgpPublicKey,
                azureBlob == null ? null : azureBlob.toSettings().toSpec(),
                Boolean.TRUE.equals(timestampFileNames));
    }

    /** S3 settings of an update: like {@link S3Settings}, but the secret may be left out to keep the current one. */
    public record S3UpdateSettings(
            @NotBlank
            @Size(min = 3, max = 63)
            @Pattern(
                    regexp = "^[a-z0-9][a-z0-9.-]*[a-z0-9]$",
                    message =
                            "must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit")
            String bucket,

            @Pattern(regexp = "^[a-z0-9-]{1,32}$", message = "must be an AWS region name such as us-east-1")
            String region,

            @Size(max = 2048) String endpoint,
            Boolean pathStyle,
            @NotBlank @Size(max = 128) String accessKeyId,
            @Size(max = 1024) String secretAccessKey,

            @Pattern(regexp = "^(AES256|aws:kms)$", message = "must be AES256 or aws:kms")
            String serverSideEncryption,

            @Size(max = 2048)
            @Pattern(regexp = "^[A-Za-z0-9:/_+=.@-]+$", message = "must be a KMS key id, alias or ARN")
            String kmsKeyId) {

        /** As create settings; a null secret means "keep the current one". */
        public S3Settings toSettings() {
            return new S3Settings(
                    bucket,
                    region,
                    endpoint,
                    pathStyle,
                    accessKeyId,
                    secretAccessKey == null || secretAccessKey.isEmpty() ? null : secretAccessKey,
                    serverSideEncryption,
                    kmsKeyId);
        }

        @Override
        public String toString() {
            return "S3UpdateSettings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + "]";
        }
    }
}
