package io.mailshot.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The command-line tools a provider unpacks deliveries with: {@code gzip -d} and GnuPG, run as processes so that
 * nothing of the JVM's own codecs stands in for them. Installs Debian's {@code gnupg} when {@code gpg} is missing
 * (the tests run as root).
 */
final class ProviderCli {

    private ProviderCli() {}

    /** What {@code gunzip} makes of the bytes; fails on a corrupt stream or trailing garbage (non-zero exit). */
    static byte[] gunzip(byte[] compressed) throws IOException {
        return run(null, compressed, "gzip", "--decompress", "--stdout");
    }

    /** A throwaway GnuPG key pair in its own home folder: the provider's private key. */
    static final class Gpg implements AutoCloseable {

        private final Path home;
        private final String publicKey;

        private Gpg(Path home, String publicKey) {
            this.home = home;
            this.publicKey = publicKey;
        }

        static Gpg withNewKey() throws IOException {
            if (!onPath("gpg")) {
                run(null, null, "apt-get", "update");
                run(null, null, "apt-get", "install", "-y", "--no-install-recommends", "gnupg");
            }
            // Under /tmp: the agent's socket path must stay short.
            Path home = Files.createTempDirectory(Path.of("/tmp"), "msmatrix");
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            String uid = "Mailshot matrix provider <matrix@mailshot.invalid>";
            run(
                    home,
                    null,
                    "gpg",
                    "--batch",
                    "--pinentry-mode",
                    "loopback",
                    "--passphrase",
                    "",
                    "--quick-gen-key",
                    uid,
                    "future-default",
                    "default",
                    "never");
            String armoured = new String(
                    run(home, null, "gpg", "--batch", "--armor", "--export", uid), StandardCharsets.US_ASCII);
            return new Gpg(home, armoured);
        }

        /** The ASCII-armoured public key, for the routing. */
        String publicKey() {
            return publicKey;
        }

        /** {@code gpg --decrypt}; fails when gpg does (wrong key, integrity check, corrupt packet). */
        byte[] decrypt(byte[] encrypted) throws IOException {
            return run(
                    home, encrypted, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--decrypt");
        }

        @Override
        public void close() throws IOException {
            try {
                run(home, null, "gpgconf", "--kill", "all");
            } catch (IOException e) {
                // No agent was started.
            }
            try (Stream<Path> walk = Files.walk(home)) {
                List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
                for (Path p : paths) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs a command with {@code stdin} (or none), returns its stdout; a non-zero exit fails with its stderr. */
    private static byte[] run(Path gnupgHome, byte[] stdin, String... command) throws IOException {
        Path dir = Files.createTempDirectory("msmatrix-cli");
        try {
            Path in = dir.resolve("in");
            Files.write(in, stdin == null ? new byte[0] : stdin);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(dir.resolve("out").toFile())
                    .redirectError(dir.resolve("err").toFile());
            if (gnupgHome != null) {
                builder.environment().put("GNUPGHOME", gnupgHome.toString());
            }
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(dir.resolve("err"), StandardCharsets.UTF_8)
                                .strip());
            }
            return Files.readAllBytes(dir.resolve("out"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            List<Path> paths = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
            }
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
