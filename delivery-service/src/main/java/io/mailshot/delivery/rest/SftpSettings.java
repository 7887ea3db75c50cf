package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.routing.RoutingSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** SFTP destination settings as submitted. {@link #toString()} redacts password and private key. */
public record SftpSettings(
        @NotBlank
        @Size(max = 253)
        @Pattern(regexp = "^[A-Za-z0-9.:\\[\\]-]+$", message = "must be a host name or IP address")
        String host,

        @NotNull @Min(1) @Max(65535) Integer port,

        @NotBlank
        @Size(max = 128)
        @Pattern(regexp = "^[^\\s:@/]+$", message = "must not contain spaces, ':', '@' or '/'")
        String username,

        @Size(max = 1024) String password,
        @Size(max = 32768) String privateKey,

        @NotBlank
        @Pattern(
                regexp = "^SHA256:[A-Za-z0-9+/]{43}=?$",
                message =
                        "must be an OpenSSH SHA-256 fingerprint like SHA256:<43 base64 characters> (ssh-keyscan host | ssh-keygen -lf -)")
        String hostKeyFingerprint) {

    public RoutingSpec.Sftp toSpec() {
        return new RoutingSpec.Sftp(host, port, username, password, privateKey, hostKeyFingerprint);
    }

    @Override
    public String toString() {
        return "SftpSettings[host=" + host + ", port=" + port + ", username=" + username + "]";
    }
}
