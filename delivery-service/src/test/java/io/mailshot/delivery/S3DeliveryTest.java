package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Delivery to an S3 destination (a bucket on the real local s3proxy), checked with an independent client. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class S3DeliveryTest extends StagingAndEvents {

    @Inject
    EventCodec codec;

    @Test
    void deliversAMultipartFileAndIgnoresARedelivery() throws Exception {
        String bucket = "acme-print-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID routingId = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-ok-" + bucket,
                bucket,
                "outbound/mailshot",
                TestSupport.config("mailshot.staging.secret-access-key")));
        UUID runId = UUID.randomUUID();
        // More than four 8 MiB parts: the upload is multipart, and more parts than may be in flight at once,
        // so parts are uploaded while later ones are still being read.
        byte[] content = TestSupport.csv(1_600_000);
        assertTrue(content.length > 4 * 8 * 1024 * 1024, "content size " + content.length);
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", content);
        String before = TestSupport.metrics();

        try (KafkaConsumer<String, String> events = TestSupport.deliveryEventsConsumer()) {
            TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> given().get("/deliveries/" + runId)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("SUCCEEDED")));
            JsonPath delivery =
                    given().get("/deliveries/" + runId).then().extract().jsonPath();
            assertEquals(routingId.toString(), delivery.getString("routingId"));
            assertEquals(1, delivery.getInt("attempts"));
            assertEquals("s3://" + bucket + "/outbound/mailshot", delivery.getString("destination"));
            assertEquals("audience.csv", delivery.getString("files[0].name"));
            assertEquals("s3://" + bucket + "/outbound/mailshot/audience.csv", delivery.getString("files[0].location"));
            assertEquals((long) content.length, delivery.getLong("files[0].bytes"));
            assertEquals(staged.sha256(), delivery.getString("files[0].sha256"));
            // What an operator's Prometheus reads: one successful S3 attempt, one file, every byte of it.
            String files = Metrics.counterSeries(Metrics.DELIVERED_FILES);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestSupport.delta(before, TestSupport.metrics(), files, "transport", "s3") == 1);
            String after = TestSupport.metrics();
            assertEquals(
                    content.length,
                    TestSupport.delta(
                            before, after, Metrics.counterSeries(Metrics.DELIVERED_BYTES), "transport", "s3"));
            assertEquals(
                    1,
                    TestSupport.delta(
                            before,
                            after,
                            Metrics.counterSeries(Metrics.DELIVERY_ATTEMPTS),
                            "transport",
                            "s3",
                            "outcome",
                            "succeeded"));
            assertEquals(
                    1,
                    TestSupport.delta(
                            before,
                            after,
                            Metrics.prometheus(Metrics.STAGE_DURATION) + "_seconds_count",
                            "stage",
                            "delivery",
                            "outcome",
                            "succeeded"));

            byte[] delivered = s3.getObjectAsBytes(b -> b.bucket(bucket).key("outbound/mailshot/audience.csv"))
                    .asByteArray();
            assertArrayEquals(content, delivered);
            // And with the AWS CLI v2, the client a provider would use.
            Path copy = Files.createTempFile(Path.of("target").toAbsolutePath(), "aws-cp-", ".csv");
            CliClients.aws("s3", "cp", "s3://" + bucket + "/outbound/mailshot/audience.csv", copy.toString());
            assertArrayEquals(content, Files.readAllBytes(copy));
            Files.delete(copy);
            JsonPath head = JsonPath.from(CliClients.aws(
                    "s3api", "head-object", "--bucket", bucket, "--key", "outbound/mailshot/audience.csv"));
            assertEquals((long) content.length, head.getLong("ContentLength"));
            long parts = (content.length + 8L * 1024 * 1024 - 1) / (8L * 1024 * 1024);
            assertTrue(
                    head.getString("ETag").endsWith("-" + parts + "\""),
                    "a " + parts + "-part multipart upload: " + head.getString("ETag"));
            Instant lastModified = s3.headObject(b -> b.bucket(bucket).key("outbound/mailshot/audience.csv"))
                    .lastModified();

            List<TestSupport.Event> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                seen.addAll(TestSupport.poll(events));
                return seen.stream()
                        .anyMatch(e -> runId.toString().equals(e.key())
                                && "io.mailshot.delivery.succeeded.v1".equals(e.type()));
            });
            TestSupport.Event succeeded = seen.stream()
                    .filter(e ->
                            runId.toString().equals(e.key()) && "io.mailshot.delivery.succeeded.v1".equals(e.type()))
                    .findFirst()
                    .orElseThrow();
            JsonPath data = JsonPath.from(succeeded.data());
            assertEquals(routingId.toString(), data.getString("routingId"));
            assertEquals("s3://" + bucket + "/outbound/mailshot/audience.csv", data.getString("files[0].location"));
            assertTrue(seen.stream()
                    .anyMatch(e -> runId.toString().equals(e.key())
                            && "io.mailshot.delivery.attempted.v1".equals(e.type())
                            && JsonPath.from(e.data()).getBoolean("succeeded")));

            // The same completion again, as a new event: recorded as processed, but not delivered again.
            String again = TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
            await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.processed(again));
            given().get("/deliveries/" + runId)
                    .then()
                    .body("status", equalTo("SUCCEEDED"))
                    .body("attempts", equalTo(1));
            assertEquals(
                    1,
                    TestSupport.delta(
                            before,
                            TestSupport.metrics(),
                            Metrics.counterSeries(Metrics.DELIVERED_FILES),
                            "transport",
                            "s3"),
                    "a redelivered event is not counted again");
            assertEquals(
                    lastModified,
                    s3.headObject(b -> b.bucket(bucket).key("outbound/mailshot/audience.csv"))
                            .lastModified());
            // No multipart upload left behind.
            assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
        }
    }

    @Test
    void missingBucketFailsFastWithAClearReason() throws Exception {
        String bucket = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-nobucket-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(10));
        String before = TestSupport.metrics();
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        given().get("/deliveries/" + runId)
                .then()
                .body("error", equalTo("bucket " + bucket + " does not exist"))
                .body("attempts", equalTo(1));
        // Counted before the delivery is recorded FAILED: a permanent failure of one S3 attempt.
        String after = TestSupport.metrics();
        assertEquals(
                1,
                TestSupport.delta(
                        before,
                        after,
                        Metrics.counterSeries(Metrics.DELIVERY_FAILURES),
                        "transport",
                        "s3",
                        "reason",
                        "permanent"));
        assertEquals(
                1,
                TestSupport.delta(
                        before,
                        after,
                        Metrics.counterSeries(Metrics.DELIVERY_ATTEMPTS),
                        "transport",
                        "s3",
                        "outcome",
                        "failed"));
        assertTrue(
                s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket)),
                "nothing created the bucket or wrote into it");
    }

    @Test
    void wrongSecretKeyFailsFastWithoutLeakingIt() throws Exception {
        String bucket = "acme-denied-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID routingId = TestSupport.createRouting(
                TestSupport.s3Routing("s3-denied-" + bucket, bucket, "out", TestSupport.WRONG_S3_SECRET));
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(10));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        String body = given().get("/deliveries/" + runId)
                .then()
                .body("error", containsString("access to bucket " + bucket + " refused"))
                .body("attempts", equalTo(1))
                .extract()
                .asString();
        assertFalse(body.contains(TestSupport.WRONG_S3_SECRET));
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
    }

    @Test
    void unreachableEndpointIsRetriedWithBackoffThenFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String bucket = "acme-unreachable-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(TestSupport.s3Routing(
                "s3-unreachable-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        body.put(
                "s3",
                Map.of(
                        "bucket",
                        bucket,
                        "endpoint",
                        "http://127.0.0.1:" + closedPort,
                        "pathStyle",
                        true,
                        "accessKeyId",
                        "a",
                        "secretAccessKey",
                        TestSupport.WRONG_S3_SECRET));
        UUID routingId = TestSupport.createRouting(body);
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(3));

        try (KafkaConsumer<String, String> events = TestSupport.deliveryEventsConsumer()) {
            TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
            await().atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> given().get("/deliveries/" + runId)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("FAILED")));
            given().get("/deliveries/" + runId)
                    .then()
                    .body("attempts", equalTo(5))
                    .body("error", containsString("cannot reach S3"));

            List<TestSupport.Event> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TestSupport.poll(events).stream()
                        .filter(e -> runId.toString().equals(e.key()))
                        .forEach(seen::add);
                return seen.stream().anyMatch(e -> "io.mailshot.delivery.failed.v1".equals(e.type()));
            });
            List<Integer> attempts = seen.stream()
                    .filter(e -> "io.mailshot.delivery.attempted.v1".equals(e.type()))
                    .map(e -> JsonPath.from(e.data()).getInt("attempt"))
                    .toList();
            assertEquals(List.of(1, 2, 3, 4, 5), attempts);
            assertTrue(seen.stream().noneMatch(e -> e.data().contains(TestSupport.WRONG_S3_SECRET)));
        }
    }

    @Test
    void inactiveRoutingFailsWithAReason() throws Exception {
        String bucket = "acme-archived-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-archived-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        given().delete("/file-routings/" + routingId).then().statusCode(204);
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(3));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED"))
                        .body("error", containsString("is ARCHIVED, not ACTIVE")));

        UUID unknownRun = UUID.randomUUID();
        UUID unknownRouting = UUID.randomUUID();
        TestSupport.publishCompleted(producer, codec, unknownRun, unknownRouting, List.of(staged));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + unknownRun)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED"))
                        .body("error", equalTo("file routing " + unknownRouting + " does not exist")));
    }
}
