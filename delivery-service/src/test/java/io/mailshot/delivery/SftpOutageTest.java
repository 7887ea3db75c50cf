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
import io.mailshot.infra.SftpServer;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SFTP server dies mid-upload (SIGKILL of a real MINA server process of the test's own) and comes back on
 * the same port with the same host key: the delivery ends in one complete file, and at no time is a partial
 * file visible under the final name.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class SftpOutageTest {

    @Inject
    EventCodec codec;

    @Test
    void serverKilledMidUploadAndRestartedEndsInOneCompleteFile() throws Exception {
        Path dir = Files.createTempDirectory("mailshot-sftp-outage");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SftpServer server = SftpServer.start(dir, port);
        try (FlakyTcpProxy proxy = new FlakyTcpProxy(port);
                S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            String fingerprint = server.hostKeyFingerprint();
            String folder = "outage";
            UUID routingId = TestSupport.createRouting(Map.of(
                    "name",
                    "sftp-outage-" + UUID.randomUUID(),
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
                            proxy.port(),
                            "username",
                            SftpServer.USER,
                            "password",
                            SftpServer.PASSWORD,
                            "hostKeyFingerprint",
                            fingerprint)));
            UUID runId = UUID.randomUUID();
            byte[] content = TestSupport.csv(150_000);
            StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", content);
            // Let the upload get about 1 MB in, then hold it there: "mid-upload" without any timing guess.
            proxy.stallAfter(1_000_000);
            String before = TestSupport.metrics();
            TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

            Path target = server.root().resolve(folder);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> temporary(target).map(p -> size(p) > 0).orElse(false));
            proxy.down();
            server.process().kill();
            Path partial = temporary(target).orElseThrow();
            assertTrue(size(partial) < content.length, "the killed server holds a partial temporary file");
            assertFalse(Files.exists(target.resolve("audience.csv")), "nothing under the final name");

            // The launcher finds "ready" in the server's log: start the new process with a fresh one.
            try (Stream<Path> logs = Files.list(dir.resolve("logs"))) {
                for (Path log : logs.toList()) {
                    Files.delete(log);
                }
            }
            server = SftpServer.start(dir, port);
            server.process().awaitPort(port, Duration.ofSeconds(60));
            assertEquals(fingerprint, server.hostKeyFingerprint(), "same host key after the restart");
            proxy.restore();

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> !"IN_PROGRESS"
                            .equals(given().get("/deliveries/" + runId)
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .path("status")));
            given().get("/deliveries/" + runId).then().body("status", equalTo("SUCCEEDED"));
            int attempts = given().get("/deliveries/" + runId).then().extract().path("attempts");
            assertTrue(attempts >= 2, "the cut attempt failed and a later one succeeded: " + attempts);
            try (Stream<Path> listing = Files.list(target)) {
                assertEquals(
                        List.of("audience.csv"),
                        listing.map(p -> p.getFileName().toString()).toList(),
                        "one complete file, the partial temporary removed");
            }
            assertArrayEquals(content, Files.readAllBytes(target.resolve("audience.csv")));

            // What an operator sees: the cut attempts as transient SFTP failures, then one file and its bytes.
            String after = TestSupport.metrics();
            String failures = Metrics.counterSeries(Metrics.DELIVERY_FAILURES);
            String tries = Metrics.counterSeries(Metrics.DELIVERY_ATTEMPTS);
            assertEquals(attempts - 1, TestSupport.delta(before, after, failures, "transport", "sftp"));
            assertEquals(
                    attempts - 1,
                    TestSupport.delta(before, after, failures, "transport", "sftp", "reason", "transient"));
            assertEquals(
                    attempts - 1, TestSupport.delta(before, after, tries, "transport", "sftp", "outcome", "failed"));
            assertEquals(1, TestSupport.delta(before, after, tries, "transport", "sftp", "outcome", "succeeded"));
            assertEquals(
                    1,
                    TestSupport.delta(
                            before, after, Metrics.counterSeries(Metrics.DELIVERED_FILES), "transport", "sftp"));
            assertEquals(
                    content.length,
                    TestSupport.delta(
                            before, after, Metrics.counterSeries(Metrics.DELIVERED_BYTES), "transport", "sftp"));
        } finally {
            server.close();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Optional<Path> temporary(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(p -> p.getFileName().toString().startsWith(".audience.csv.")
                            && p.getFileName().toString().endsWith(".part"))
                    .findFirst();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return -1;
        }
    }
}
