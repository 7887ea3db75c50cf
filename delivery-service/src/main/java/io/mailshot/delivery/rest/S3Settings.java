package io.mailshot.delivery.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** S3 destination settings as submitted. {@link #toString()} redacts the secret. */
public record S3Settings(
        @NotBlank @Size(min = 3, max = 63)
        @Pattern(regexp = "^[a-z0-9][a-z0-9.-]*[a-z0-9]$",
                message = "must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit")
        String bucket,
        @Pattern(regexp = "^[a-z0-9-]{1,32}$", message = "must be an AWS region name such as us-east-1") String region,
        @Size(max = 2048) String endpoint,
        Boolean pathStyle,
        @NotBlank @Size(max = 128) String accessKeyId,
        @NotBlank @Size(max = 1024) String secretAccessKey) {

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + "]";
    }
}
