package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Files.createDirectories(Path.of("/run/sshd"));  // sshd's privilege-separation directory
        dir = Files.createTempDirectory(Path.of("/tmp"), "mssshd");
        Files.createDirectories(dir.resolve("data"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mailshot-test", "-f",
                dir.resolve("client_key").toString());
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        user = System.getProperty("user.name");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
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
        sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
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
        assertEquals(fingerprint, given().contentType("application/json")
                .body(Map.of("host", "127.0.0.1", "port", port)).post("/file-routings/sftp-host-key")
                .then().statusCode(200).extract().path("fingerprint"), "the helper shows what OpenSSH prints");

        String folder = "inbox/run-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(Map.of("name", "openssh-" + UUID.randomUUID(), "type", "SFTP",
                "status", "ACTIVE", "baseFolder", folder,
                "sftp", Map.of("host", "127.0.0.1", "port", port, "username", user,
                        "privateKey", Files.readString(dir.resolve("client_key")),
                        "hostKeyFingerprint", fingerprint)));
        JsonPath probe = given().post("/file-routings/" + routingId + "/test").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(probe.getBoolean("ok"), probe.prettify());

        UUID runId = UUID.randomUUID();
        try (S3Client s3 = TestSupport.s3(); KafkaProducer<String, String> producer = TestSupport.producer()) {
            List<StagedFile> parts = List.of(TestSupport.stage(s3, runId, "part-001.csv", TestSupport.csv(30_000)),
                    TestSupport.stage(s3, runId, "part-002.csv", TestSupport.csv(10)));
            StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
            TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/deliveries/" + runId)
                    .then().statusCode(200).body("status", equalTo("SUCCEEDED")));

            // Read back with the OpenSSH sftp client, pinned to the same host key.
            Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                    + Files.readString(dir.resolve("host_key.pub")));
            Path back = Files.createDirectories(dir.resolve("back"));
            String batch = "ls -1a " + folder + "\n"
                    + Stream.concat(parts.stream(), Stream.of(manifest))
                            .map(f -> "get " + folder + "/" + f.name() + " " + back.resolve(f.name()) + "\n")
                            .reduce("", String::concat);
            Files.writeString(dir.resolve("batch"), batch);
            String listing = run("sftp", "-q", "-i", dir.resolve("client_key").toString(), "-P", String.valueOf(port),
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + dir.resolve("known_hosts"),
                    "-o", "IdentitiesOnly=yes", "-b", dir.resolve("batch").toString(), user + "@127.0.0.1");
            List<String> names = listing.lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("sftp>") && !l.endsWith("/.") && !l.endsWith("/.."))
                    .map(l -> l.substring(l.lastIndexOf('/') + 1)).sorted().toList();
            assertEquals(List.of("manifest.json", "part-001.csv", "part-002.csv"), names, listing);
            for (StagedFile f : Stream.concat(parts.stream(), Stream.of(manifest)).toList()) {
                assertArrayEquals(TestSupport.staged(s3, f), Files.readAllBytes(back.resolve(f.name())), f.name());
            }
        }
    }

    private static String run(String... command) throws Exception {
        Path out = Files.createTempFile("mssshd-out", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
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
