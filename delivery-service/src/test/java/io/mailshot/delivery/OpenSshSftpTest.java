package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Delivery to a real OpenSSH {@code sshd} with {@code internal-sftp} (started here on a free port, key
 * authentication with an OpenSSH private key), read back with the OpenSSH {@code sftp} client. Installs Debian's
 * openssh-server when sshd is missing (the tests run as root; the image's policy-rc.d keeps it from starting).
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class OpenSshSftpTest {

    private static final String SSHD = "/usr/sbin/sshd";

    @Inject
    EventCodec codec;

    private static Path dir;
    private static Process sshd;
    private static int port;
    private static String user;

    @BeforeAll
    static void startSshd() throws Exception {
        if (!Files.isExecutable(Path.of(SSHD))) {
            run("apt-get", "update");
            run("apt-get", "install", "-y", "--no-install-recommends", "openssh-server");
        }
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege-separation directory
        dir = Files.createTempDirectory(Path.of("/tmp"), "mssshd");
        Files.createDirectories(dir.resolve("data"));
        run(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("host_key").toString());
        run(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "mailshot-test",
                "-f",
                dir.resolve("client_key").toString());
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        user = System.getProperty("user.name");
        Files.writeString(
                dir.resolve("sshd_config"),
                String.join(
                        "\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        "HostKey " + dir.resolve("host_key"),
                        "PidFile " + dir.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PubkeyAuthentication yes",
                        "PermitRootLogin prohibit-password",
                        "StrictModes no",
                        "UsePAM no",
                        "AllowUsers " + user,
                        "Subsystem sftp internal-sftp",
                        "ForceCommand internal-sftp -d " + dir.resolve("data"),
                        ""));
        sshd = new ProcessBuilder(
                        SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.descendants().forEach(ProcessHandle::destroy);
            sshd.destroy();
            sshd.waitFor(30, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void deliversToOpenSshWithAKeyAndReadsBackWithTheSftpClient() throws Exception {
        String hostKey = run("ssh-keygen", "-lf", dir.resolve("host_key.pub").toString());
        String fingerprint = hostKey.split("\\s+")[1];
        assertEquals(
                fingerprint,
                given().contentType("application/json")
                        .body(Map.of("host", "127.0.0.1", "port", port))
                        .post("/file-routings/sftp-host-key")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("fingerprint"),
                "the helper shows what OpenSSH prints");

        String folder = "inbox/run-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(Map.of(
                "name",
                "openssh-" + UUID.randomUUID(),
                "type",
                "SFTP",
                "status",
                "ACTIVE",
                "baseFolder",
                folder,
                "sftp",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        port,
                        "username",
                        user,
                        "privateKey",
                        Files.readString(dir.resolve("client_key")),
                        "hostKeyFingerprint",
                        fingerprint)));
        JsonPath probe = given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(probe.getBoolean("ok"), probe.prettify());

        UUID runId = UUID.randomUUID();
        try (S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            List<StagedFile> parts = List.of(
                    TestSupport.stage(s3, runId, "part-001.csv", TestSupport.csv(30_000)),
                    TestSupport.stage(s3, runId, "part-002.csv", TestSupport.csv(10)));
            StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
            TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> given().get("/deliveries/" + runId)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("SUCCEEDED")));

            // Read back with the OpenSSH sftp client, pinned to the same host key.
            Files.writeString(
                    dir.resolve("known_hosts"),
                    "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
            Path back = Files.createDirectories(dir.resolve("back"));
            String batch = "ls -1a " + folder + "\n"
                    + Stream.concat(parts.stream(), Stream.of(manifest))
                            .map(f -> "get " + folder + "/" + f.name() + " " + back.resolve(f.name()) + "\n")
                            .reduce("", String::concat);
            Files.writeString(dir.resolve("batch"), batch);
            String listing = run(
                    "sftp",
                    "-q",
                    "-i",
                    dir.resolve("client_key").toString(),
                    "-P",
                    String.valueOf(port),
                    "-o",
                    "StrictHostKeyChecking=yes",
                    "-o",
                    "UserKnownHostsFile=" + dir.resolve("known_hosts"),
                    "-o",
                    "IdentitiesOnly=yes",
                    "-b",
                    dir.resolve("batch").toString(),
                    user + "@127.0.0.1");
            List<String> names = listing.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("sftp>") && !l.endsWith("/.") && !l.endsWith("/.."))
                    .map(l -> l.substring(l.lastIndexOf('/') + 1))
                    .sorted()
                    .toList();
            assertEquals(List.of("manifest.json", "part-001.csv", "part-002.csv"), names, listing);
            for (StagedFile f :
                    Stream.concat(parts.stream(), Stream.of(manifest)).toList()) {
                assertArrayEquals(TestSupport.staged(s3, f), Files.readAllBytes(back.resolve(f.name())), f.name());
            }
        }
    }

    /** Another sshd of the test's own on {@code port}: read-only ({@code internal-sftp -R}) when asked. */
    private static Process startSshd(Path home, int sshdPort, boolean readOnly) throws Exception {
        Files.createDirectories(home.resolve("data"));
        if (!Files.exists(home.resolve("host_key"))) {
            run(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-f",
                    home.resolve("host_key").toString());
        }
        Files.writeString(
                home.resolve("sshd_config"),
                String.join(
                        "\n",
                        "Port " + sshdPort,
                        "ListenAddress 127.0.0.1",
                        "HostKey " + home.resolve("host_key"),
                        "PidFile " + home.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PubkeyAuthentication yes",
                        "PermitRootLogin prohibit-password",
                        "StrictModes no",
                        "UsePAM no",
                        "AllowUsers " + user,
                        "Subsystem sftp internal-sftp",
                        "ForceCommand internal-sftp " + (readOnly ? "-R " : "") + "-d " + home.resolve("data"),
                        ""));
        Process process = new ProcessBuilder(
                        SSHD, "-D", "-e", "-f", home.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("sshd.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(home.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", sshdPort), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return process;
    }

    private static void stop(Process process) throws Exception {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String fingerprintOf(Path publicKey) throws Exception {
        return run("ssh-keygen", "-lf", publicKey.toString()).split("\\s+")[1];
    }

    private UUID deliverOne(UUID routingId) throws Exception {
        UUID runId = UUID.randomUUID();
        try (S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            TestSupport.publishCompleted(
                    producer,
                    codec,
                    runId,
                    routingId,
                    List.of(TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(50))));
        }
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        return runId;
    }

    @Test
    void wrongKeyIsRefusedAndNothingIsWritten() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other-key"));
        run(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                other.resolve("key").toString());
        String folder = "inbox/wrongkey-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(Map.of(
                "name",
                "openssh-wrongkey-" + UUID.randomUUID(),
                "type",
                "SFTP",
                "status",
                "ACTIVE",
                "baseFolder",
                folder,
                "sftp",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        port,
                        "username",
                        user,
                        "privateKey",
                        Files.readString(other.resolve("key")),
                        "hostKeyFingerprint",
                        fingerprintOf(dir.resolve("host_key.pub")))));
        UUID runId = deliverOne(routingId);
        given().get("/deliveries/" + runId)
                .then()
                .body("error", equalTo("authentication refused for user " + user + " at 127.0.0.1:" + port))
                .body("attempts", equalTo(1));
        assertFalse(Files.exists(dir.resolve("data").resolve(folder)), "nothing written");
    }

    @Test
    void permissionDeniedByTheServerFailsFastAndNothingIsWritten() throws Exception {
        Path home = Files.createDirectories(dir.resolve("readonly"));
        int readOnlyPort = freePort();
        Process readOnly = startSshd(home, readOnlyPort, true);
        try {
            // The folder exists, so the refusal is the write itself (internal-sftp -R refuses every write).
            Files.createDirectories(home.resolve("data/inbox/locked"));
            UUID routingId = TestSupport.createRouting(Map.of(
                    "name",
                    "openssh-readonly-" + UUID.randomUUID(),
                    "type",
                    "SFTP",
                    "status",
                    "ACTIVE",
                    "baseFolder",
                    "inbox/locked",
                    "sftp",
                    Map.of(
                            "host",
                            "127.0.0.1",
                            "port",
                            readOnlyPort,
                            "username",
                            user,
                            "privateKey",
                            Files.readString(dir.resolve("client_key")),
                            "hostKeyFingerprint",
                            fingerprintOf(home.resolve("host_key.pub")))));
            JsonPath refused = TestSupport.connectionTest(routingId);
            assertFalse(refused.getBoolean("ok"));
            // A read-only server: everything up to the login happened, the write was refused, nothing to delete.
            assertEquals(
                    List.of(
                            "connect:done",
                            "key-exchange:done",
                            "host-key:done",
                            "login:done",
                            "write:failed",
                            "delete:not-reached"),
                    TestSupport.statuses(refused));
            assertEquals(
                    "permission denied writing to sftp://" + user + "@127.0.0.1:" + readOnlyPort + "/inbox/locked",
                    refused.getString("steps[4].message"));
            UUID runId = deliverOne(routingId);
            given().get("/deliveries/" + runId)
                    .then()
                    .body(
                            "error",
                            equalTo("permission denied writing to sftp://" + user + "@127.0.0.1:" + readOnlyPort
                                    + "/inbox/locked"))
                    .body("attempts", equalTo(1));
            try (Stream<Path> listing = Files.list(home.resolve("data/inbox/locked"))) {
                assertEquals(List.of(), listing.toList(), "nothing written, not even a temporary file");
            }
        } finally {
            stop(readOnly);
        }
    }

    @Test
    void changedHostKeyIsRefusedAndNothingIsSent() throws Exception {
        Path home = Files.createDirectories(dir.resolve("rekeyed"));
        int rekeyedPort = freePort();
        Process server = startSshd(home, rekeyedPort, false);
        String pinned = fingerprintOf(home.resolve("host_key.pub"));
        UUID routingId = TestSupport.createRouting(Map.of(
                "name",
                "openssh-rekeyed-" + UUID.randomUUID(),
                "type",
                "SFTP",
                "status",
                "ACTIVE",
                "baseFolder",
                "inbox/rekeyed",
                "sftp",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        rekeyedPort,
                        "username",
                        user,
                        "privateKey",
                        Files.readString(dir.resolve("client_key")),
                        "hostKeyFingerprint",
                        pinned)));
        given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(200)
                .body("ok", equalTo(true));
        // The server gets a new host key (re-installed, or someone in the middle): same address, another key.
        stop(server);
        Files.delete(home.resolve("host_key"));
        Files.delete(home.resolve("host_key.pub"));
        server = startSshd(home, rekeyedPort, false);
        try {
            String changed = fingerprintOf(home.resolve("host_key.pub"));
            assertFalse(pinned.equals(changed));
            UUID runId = deliverOne(routingId);
            given().get("/deliveries/" + runId)
                    .then()
                    .body("error", equalTo("host key mismatch: expected " + pinned + ", got " + changed))
                    .body("attempts", equalTo(1));
            // The folder is the connection test's, from before the change; it must still be empty.
            try (Stream<Path> listing = Files.list(home.resolve("data/inbox/rekeyed"))) {
                assertEquals(List.of(), listing.toList(), "nothing written to the changed server");
            }
        } finally {
            stop(server);
        }
    }

    private static String run(String... command) throws Exception {
        Path out = Files.createTempFile("mssshd-out", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
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
