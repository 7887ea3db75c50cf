package io.mailshot.delivery.rest;

/** An SFTP server's host key as an admin confirms it before pinning: {@code SHA256:...} and e.g. {@code ssh-ed25519}. */
public record HostKeyView(String host, int port, String fingerprint, String keyType) {}
