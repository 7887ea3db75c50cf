package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.routing.RoutingSpec;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * S3 destination settings as submitted. {@code serverSideEncryption} (optional) is sent on every upload:
 * {@code AES256} (SSE-S3) or {@code aws:kms} with an optional {@code kmsKeyId}. {@link #toString()} redacts the secret.
 */
public record S3Settings(
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
        @NotBlank @Size(max = 1024) String secretAccessKey,

        @Pattern(regexp = "^(AES256|aws:kms)$", message = "must be AES256 or aws:kms")
        String serverSideEncryption,

        @Size(max = 2048) @Pattern(regexp = "^[A-Za-z0-9:/_+=.@-]+$", message = "must be a KMS key id, alias or ARN")
        String kmsKeyId) {

    public S3Settings(
            String bucket,
            String region,
            String endpoint,
            Boolean pathStyle,
            String accessKeyId,
            String secretAccessKey) {
        this(bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey, null, null);
    }

    public RoutingSpec.S3 toSpec() {
        return new RoutingSpec.S3(
                bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey, serverSideEncryption, kmsKeyId);
    }

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + "]";
    }
}
