package io.mailshot.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The MINA SSHD SFTP server with a persisted host key, jailed to one folder. */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "provider";
    public static final String PASSWORD = "provider-local-password";

    private final ForkedServer process;
    private final int port;
    private final Path root;
    private final String fingerprint;

    private SftpServer(ForkedServer process, int port, Path root, String fingerprint) {
        this.process = process;
        this.port = port;
        this.root = root;
        this.fingerprint = fingerprint;
    }

    public static SftpServer start(Path dir, int port) {
        Path root = dir.resolve("root").toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(
                "--port",
                String.valueOf(port),
                "--root",
                root.toString(),
                "--user",
                USER,
                "--password",
                PASSWORD,
                "--host-key",
                dir.resolve("host-key.pem").toAbsolutePath().toString()));
        ForkedServer server = ForkedServer.start(
                "sftp",
                "sftp",
                dir.resolve("logs"),
                List.of("-Xmx128m"),
                "io.mailshot.runtime.sftp.SftpServerMain",
                args);
        String ready = server.awaitReadyLine(Duration.ofSeconds(60));
        String fingerprint = ready.replaceFirst(".*fingerprint=(\\S+).*", "$1");
        return new SftpServer(server, port, root, fingerprint);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The folder the SFTP user sees as {@code /}. */
    public Path root() {
        return root;
    }

    /** The host key's OpenSSH SHA-256 fingerprint, e.g. {@code SHA256:...}, to pin in a routing. */
    public String hostKeyFingerprint() {
        return fingerprint;
    }

    public ForkedServer process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
