package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.routing.RoutingSpec;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Azure Blob destination settings as submitted: a storage connection string (a secret: it holds the account key)
 * and a container. {@link #toString()} redacts the connection string.
 */
public record AzureBlobSettings(
        @NotBlank @Size(max = 4096) String connectionString,

        @NotBlank @Size(min = 3, max = 63) @Pattern(regexp = CONTAINER, message = CONTAINER_RULE)
        String container) {

    /** Azure's container naming rules; a slash is never part of a container name. */
    static final String CONTAINER = "^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$";

    static final String CONTAINER_RULE = "must be 3-63 lowercase letters, digits or hyphens, start and end with a"
            + " letter or digit, without '--' or '/' (Azure container naming rules)";

    public RoutingSpec.AzureBlob toSpec() {
        return new RoutingSpec.AzureBlob(connectionString, container);
    }

    @Override
    public String toString() {
        return "AzureBlobSettings[container=" + container + "]";
    }

    /** Settings of an update: the connection string may be left out to keep the current one. */
    public record Update(
            @Size(max = 4096) String connectionString,

            @NotBlank @Size(min = 3, max = 63) @Pattern(regexp = CONTAINER, message = CONTAINER_RULE)
            String container) {

        public AzureBlobSettings toSettings() {
            return new AzureBlobSettings(
                    connectionString == null || connectionString.isBlank() ? null : connectionString, container);
        }

        @Override
        public String toString() {
            return "AzureBlobSettings.Update[container=" + container + "]";
        }
    }
}
