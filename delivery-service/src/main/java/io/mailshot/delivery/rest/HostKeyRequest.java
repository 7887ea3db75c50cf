package io.mailshot.delivery.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /file-routings/sftp-host-key}: the SFTP server whose host key to show (port default 22). */
public record HostKeyRequest(
        @NotBlank
        @Size(max = 253)
        @Pattern(regexp = "^[A-Za-z0-9.:\\[\\]-]+$", message = "must be a host name or IP address")
        String host,

        @Min(1) @Max(65535) Integer port) {}
