package io.mailshot.delivery;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real clients a provider would use to read what was delivered: the AWS CLI v2 (Debian {@code awscli}) and the
 * OpenSSH {@code sftp} client. Missing Debian packages are installed with apt-get (the tests run as root, like
 * Gpg.java does for gnupg).
 */
final class CliClients {

    /** Debian's AWS CLI v2; a pip-installed v1 earlier on PATH must not be the one used. */
    static final String AWS = "/usr/bin/aws";

    private CliClients() {}

    /** Runs {@code aws <args>} against the local S3 server with the staging credentials; returns stdout. */
    static String aws(String... args) throws Exception {
        if (!Files.isExecutable(Path.of(AWS))) {
            run(null, Map.of(), "apt-get", "update");
            run(null, Map.of(), "apt-get", "install", "-y", "--no-install-recommends", "awscli");
        }
        Path config = Files.createTempFile("msaws", ".config");
        try {
            // Path-style addressing: s3proxy serves buckets as paths, not as host names.
            Files.writeString(config, "[default]\ns3 =\n    addressing_style = path\n");
            List<String> command = new ArrayList<>(List.of(
                    AWS,
                    "--endpoint-url",
                    TestSupport.config("mailshot.test.s3.endpoint"),
                    "--no-cli-pager",
                    "--output",
                    "json"));
            command.addAll(List.of(args));
            return run(
                    null,
                    Map.of(
                            "AWS_ACCESS_KEY_ID",
                            TestSupport.config("mailshot.staging.access-key-id"),
                            "AWS_SECRET_ACCESS_KEY",
                            TestSupport.config("mailshot.staging.secret-access-key"),
                            "AWS_DEFAULT_REGION",
                            TestSupport.config("mailshot.staging.region"),
                            "AWS_CONFIG_FILE",
                            config.toString(),
                            "AWS_SHARED_CREDENTIALS_FILE",
                            "/dev/null",
                            "AWS_EC2_METADATA_DISABLED",
                            "true"),
                    command.toArray(String[]::new));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /**
     * Runs OpenSSH {@code sftp} commands against the embedded MINA server, logged in with its password (through
     * SSH_ASKPASS) and pinned to its host key: the key {@code ssh-keyscan} sees is trusted only when its fingerprint
     * ({@code ssh-keygen -lf}) is the one the infrastructure reports. Returns the client's output.
     */
    static String minaSftp(Path work, String commands) throws Exception {
        String host = TestSupport.config("mailshot.test.sftp.host");
        String port = TestSupport.config("mailshot.test.sftp.port");
        String scanned = run(null, Map.of(), "ssh-keyscan", "-p", port, host);
        Path knownHosts = work.resolve("known_hosts");
        Files.writeString(
                knownHosts,
                scanned.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).reduce("", (a, b) -> a + b + "\n"));
        String fingerprints = run(null, Map.of(), "ssh-keygen", "-lf", knownHosts.toString());
        String pinned = TestSupport.config("mailshot.test.sftp.fingerprint").replaceAll("=+$", "");
        if (!fingerprints.contains(pinned) || fingerprints.lines().count() != 1) {
            throw new IllegalStateException("the MINA server's host key is not the pinned one: " + fingerprints);
        }
        Path askpass = work.resolve("askpass.sh");
        Files.writeString(askpass, "#!/bin/sh\necho '" + TestSupport.config("mailshot.test.sftp.password") + "'\n");
        Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        Path batch = work.resolve("sftp-commands");
        Files.writeString(batch, commands);
        // Commands on stdin rather than -b: -b forces BatchMode, which forbids password authentication.
        return run(
                batch,
                Map.of("SSH_ASKPASS", askpass.toString(), "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", "none"),
                "sftp",
                "-q",
                "-P",
                port,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "PubkeyAuthentication=no",
                "-o",
                "PreferredAuthentications=password",
                "-o",
                "NumberOfPasswordPrompts=1",
                TestSupport.config("mailshot.test.sftp.user") + "@" + host);
    }

    private static String run(Path stdin, Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile("mscli-out", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(
                            stdin == null
                                    ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                                    : ProcessBuilder.Redirect.from(stdin.toFile()));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
