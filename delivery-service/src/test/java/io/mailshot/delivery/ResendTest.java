package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Re-sending a settled run's staged files to the same or another routing, as a delivery of its own. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class ResendTest extends StagingAndEvents {

    @Inject
    EventCodec codec;

    private static void awaitOriginal(UUID runId, String status) {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    @Test
    void resendsToAnotherRoutingAsItsOwnDeliveryWithEvents() throws Exception {
        String bucket = "acme-resend-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID s3Routing = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-resend-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        String folder = "resent/run-" + UUID.randomUUID().toString().substring(0, 8);
        UUID sftpRouting = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-resend-" + UUID.randomUUID(),
                folder,
                TestSupport.config("mailshot.test.sftp.password"),
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = List.of(
                TestSupport.stage(s3, runId, "part-001.csv", TestSupport.csv(500)),
                TestSupport.stage(s3, runId, "part-002.csv", TestSupport.csv(300)));
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);

        try (KafkaConsumer<String, String> events = TestSupport.deliveryEventsConsumer()) {
            TestSupport.publishCompleted(producer, codec, runId, s3Routing, parts, manifest);
            awaitOriginal(runId, "SUCCEEDED");

            JsonPath accepted = given().contentType(ContentType.JSON)
                    .body(Map.of("routingId", sftpRouting.toString()))
                    .post("/deliveries/" + runId + "/resend")
                    .then()
                    .statusCode(202)
                    .header("Location", containsString("/deliveries/" + runId + "/resends/"))
                    .body("kind", equalTo("RESEND"))
                    .body("routingId", equalTo(sftpRouting.toString()))
                    .extract()
                    .jsonPath();
            String resendId = accepted.getString("id");
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> given().get("/deliveries/" + runId + "/resends/" + resendId)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("SUCCEEDED")));
            given().get("/deliveries/" + runId + "/resends/" + resendId)
                    .then()
                    .body("attempts", equalTo(1))
                    .body("files.name[2]", equalTo("manifest.json"));
            given().get("/deliveries/" + runId)
                    .then()
                    .body("status", equalTo("SUCCEEDED"))
                    .body("routingId", equalTo(s3Routing.toString()))
                    .body("resends.id", equalTo(List.of(resendId)));

            Path dir = Path.of(TestSupport.config("mailshot.test.sftp.root")).resolve(folder);
            try (Stream<Path> listing = Files.list(dir)) {
                assertEquals(
                        List.of("manifest.json", "part-001.csv", "part-002.csv"),
                        listing.map(p -> p.getFileName().toString()).sorted().toList());
            }
            for (StagedFile f :
                    Stream.concat(parts.stream(), Stream.of(manifest)).toList()) {
                assertArrayEquals(TestSupport.staged(s3, f), Files.readAllBytes(dir.resolve(f.name())));
            }

            // Events: the re-send's attempt is numbered after the original's, then DeliverySucceeded to SFTP.
            List<TestSupport.Event> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TestSupport.poll(events).stream()
                        .filter(e -> runId.toString().equals(e.key()))
                        .forEach(seen::add);
                return seen.stream()
                                .filter(e -> "io.mailshot.delivery.succeeded.v1".equals(e.type()))
                                .count()
                        == 2;
            });
            List<JsonPath> attempts = seen.stream()
                    .filter(e -> "io.mailshot.delivery.attempted.v1".equals(e.type()))
                    .map(e -> JsonPath.from(e.data()))
                    .toList();
            assertEquals(
                    List.of(1, 2),
                    attempts.stream().map(a -> a.getInt("attempt")).toList());
            assertEquals(sftpRouting.toString(), attempts.get(1).getString("routingId"));
            JsonPath resent = seen.stream()
                    .filter(e -> "io.mailshot.delivery.succeeded.v1".equals(e.type()))
                    .map(e -> JsonPath.from(e.data()))
                    .toList()
                    .get(1);
            assertTrue(resent.getString("destination").startsWith("sftp://"));
        }

        // Same routing again (default): one more delivery, same files, still one copy each.
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/deliveries/" + runId + "/resend")
                .then()
                .statusCode(202)
                .body("routingId", equalTo(s3Routing.toString()));
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .body("resends.status", equalTo(List.of("SUCCEEDED", "SUCCEEDED"))));
        // s3proxy's file-system store lists folders as "out/" markers: not objects anyone delivered.
        assertEquals(
                3,
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .filter(o -> !o.key().endsWith("/"))
                        .count());
    }

    @Test
    void refusesWhatCannotBeResent() throws Exception {
        String bucket = "acme-noresend-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID routing = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-noresend-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        UUID runId = UUID.randomUUID();
        StagedFile part = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(20));
        TestSupport.publishCompleted(producer, codec, runId, routing, List.of(part));
        awaitOriginal(runId, "SUCCEEDED");

        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/deliveries/" + UUID.randomUUID() + "/resend")
                .then()
                .statusCode(404)
                .contentType(containsString("problem+json"));
        given().contentType(ContentType.JSON)
                .body(Map.of("routingId", UUID.randomUUID().toString()))
                .post("/deliveries/" + runId + "/resend")
                .then()
                .statusCode(404);
        UUID draft = TestSupport.createRouting(Map.of(
                "name",
                "draft-" + bucket,
                "type",
                "S3",
                "status",
                "DRAFT",
                "s3",
                Map.of("bucket", bucket, "accessKeyId", "a", "secretAccessKey", "b")));
        given().contentType(ContentType.JSON)
                .body(Map.of("routingId", draft.toString()))
                .post("/deliveries/" + runId + "/resend")
                .then()
                .statusCode(409)
                .body("rule", equalTo("active-routing"))
                .body("detail", endsWith("is DRAFT, not ACTIVE"));

        // Staging no longer retains the file: 409, and nothing is started.
        s3.deleteObject(b -> b.bucket(part.bucket()).key(part.key()));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/deliveries/" + runId + "/resend")
                .then()
                .statusCode(409)
                .body("rule", equalTo("retained"))
                .body("detail", containsString("no longer retained"));
        given().get("/deliveries/" + runId).then().body("resends", equalTo(List.of()));
    }

    @Test
    void refusesWhileTheRunOrAnotherResendToTheRoutingIsInProgress() throws Exception {
        // A forwarder in front of the test SFTP server that can hold connections: deliveries then stay IN_PROGRESS.
        try (FlakyTcpProxy proxy = new FlakyTcpProxy(Integer.parseInt(TestSupport.config("mailshot.test.sftp.port")));
                S3Client staging = TestSupport.s3()) {
            proxy.down();
            String folder = "held/run-" + UUID.randomUUID().toString().substring(0, 8);
            UUID routing = TestSupport.createRouting(Map.of(
                    "name",
                    "sftp-held-" + UUID.randomUUID(),
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
                            TestSupport.config("mailshot.test.sftp.user"),
                            "password",
                            TestSupport.config("mailshot.test.sftp.password"),
                            "hostKeyFingerprint",
                            TestSupport.config("mailshot.test.sftp.fingerprint"))));
            UUID runId = UUID.randomUUID();
            StagedFile part = TestSupport.stage(staging, runId, "audience.csv", TestSupport.csv(50));
            TestSupport.publishCompleted(producer, codec, runId, routing, List.of(part));
            awaitOriginal(runId, "IN_PROGRESS");
            given().contentType(ContentType.JSON)
                    .body("{}")
                    .post("/deliveries/" + runId + "/resend")
                    .then()
                    .statusCode(409)
                    .body("rule", equalTo("delivery-settled"));

            proxy.restore();
            awaitOriginal(runId, "SUCCEEDED");

            proxy.down();
            String first = given().contentType(ContentType.JSON)
                    .body("{}")
                    .post("/deliveries/" + runId + "/resend")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            given().contentType(ContentType.JSON)
                    .body("{}")
                    .post("/deliveries/" + runId + "/resend")
                    .then()
                    .statusCode(409)
                    .body("rule", equalTo("one-at-a-time"));
            proxy.restore();
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> given().get("/deliveries/" + runId + "/resends/" + first)
                            .then()
                            .body("status", equalTo("SUCCEEDED")));
            Path dir = Path.of(TestSupport.config("mailshot.test.sftp.root")).resolve(folder);
            try (Stream<Path> listing = Files.list(dir)) {
                assertEquals(
                        List.of("audience.csv"),
                        listing.map(p -> p.getFileName().toString()).toList());
            }
        }
    }
}
