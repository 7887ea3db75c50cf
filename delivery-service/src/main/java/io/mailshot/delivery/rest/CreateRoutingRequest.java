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
 * Body of {@code POST /file-routings}. Cross-field rules are checked by the routing service. {@code pgpPublicKey}
 * is an optional ASCII-armoured OpenPGP public key: when set, delivered files are encrypted to it.
 * {@code timestampFileNames} (default false) puts the delivery's UTC time into every delivered name.
 */
public record CreateRoutingRequest(
        @NotBlank
        @Pattern(
                regexp = "^[A-Za-z][A-Za-z0-9_.-]{0,99}$",
                message = "must start with a letter and contain only letters, digits, '_', '.', '-' (max 100)")
        String name,

        @NotNull RoutingType type,
        RoutingStatus status,
        @Size(max = 1024) String baseFolder,
        @Valid S3Settings s3,
        @Valid SftpSettings sftp,
        @Size(max = 65536) String pgpPublicKey,
        @Valid AzureBlobSettings azureBlob,
        Boolean timestampFileNames) {

    /** The routing the service is asked to create. */
    public RoutingSpec toSpec() {
        return new RoutingSpec(
                name,
                type,
                status,
                baseFolder,
                s3 == null ? null : s3.toSpec(),
                sftp == null ? null : sftp.toSpec(),
                pgpPublicKey,
                azureBlob == null ? null : azureBlob.toSpec(),
                Boolean.TRUE.equals(timestampFileNames));
    }
}
