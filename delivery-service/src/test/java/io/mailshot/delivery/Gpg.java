package io.mailshot.delivery;

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
 * The real GnuPG, with a throwaway key pair in a temporary GNUPGHOME: the independent client that decrypts what
 * the service delivered. Installs Debian's gnupg when gpg is missing. Stops its gpg-agent on close.
 */
final class Gpg implements AutoCloseable {

    private final Path home;
    final String publicKey;
    final String fingerprint;

    private Gpg(Path home, String publicKey, String fingerprint) {
        this.home = home;
        this.publicKey = publicKey;
        this.fingerprint = fingerprint;
    }

    /** A new key pair ({@code algo}: e.g. {@code default} or {@code future-default} for ed25519/cv25519). */
    static Gpg withNewKey(String algo) throws Exception {
        ensureInstalled();
        // Short path: gpg-agent's socket path must stay under the Unix socket length limit.
        Path home = Files.createTempDirectory(Path.of("/tmp"), "msgpg");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        String uid = "Mailshot Test " + home.getFileName() + " <test@mailshot.invalid>";
        run(
                home,
                null,
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                uid,
                algo,
                "default",
                "never");
        String armoured = run(home, null, "gpg", "--homedir", home.toString(), "--batch", "--armor", "--export", uid);
        String colons =
                run(home, null, "gpg", "--homedir", home.toString(), "--batch", "--with-colons", "--fingerprint", uid);
        String fingerprint = colons.lines()
                .filter(l -> l.startsWith("fpr:"))
                .findFirst()
                .orElseThrow()
                .split(":")[9];
        return new Gpg(home, armoured, fingerprint);
    }

    /** Decrypts an OpenPGP file with the throwaway private key; fails when gpg does (e.g. integrity error). */
    byte[] decrypt(byte[] encrypted) throws Exception {
        Path in = Files.createTempFile(home, "in", ".pgp");
        Path out = home.resolve("out-" + System.nanoTime());
        Files.write(in, encrypted);
        run(
                home,
                null,
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--output",
                out.toString(),
                "--decrypt",
                in.toString());
        byte[] plain = Files.readAllBytes(out);
        Files.delete(in);
        Files.delete(out);
        return plain;
    }

    static void ensureInstalled() throws Exception {
        if (onPath("gpg")) {
            return;
        }
        // The tests run as root in CI and locally; Debian's gnupg package provides gpg.
        run(null, null, "apt-get", "update");
        run(null, null, "apt-get", "install", "-y", "--no-install-recommends", "gnupg");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Path home, byte[] stdin, String... command) throws Exception {
        // stderr apart: gpg's notes there must not end up in an exported key.
        Path stderr = Files.createTempFile("msgpg-stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectError(stderr.toFile());
        if (home != null) {
            pb.environment().put("GNUPGHOME", home.toString());
        }
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        String errors = Files.readString(stderr);
        Files.delete(stderr);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text + errors);
        }
        return text;
    }

    @Override
    public void close() throws Exception {
        try {
            run(home, null, "gpgconf", "--homedir", home.toString(), "--kill", "all");
        } catch (IOException e) {
            // The agent may not have started at all.
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(home)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
