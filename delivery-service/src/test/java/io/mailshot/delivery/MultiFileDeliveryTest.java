package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.DeliveryProgressed;
import io.mailshot.events.EventType;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Several parts per run and the manifest last: every part is published and verified before the manifest, a
 * failure before publication leaves nothing at the destination, and leftovers of an interrupted delivery are
 * cleaned up instead of becoming a second copy.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class MultiFileDeliveryTest extends StagingAndEvents {

    @Inject
    EventCodec codec;

    private static List<StagedFile> stageParts(UUID runId, int count, int rows) {
        List<StagedFile> parts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            parts.add(TestSupport.stage(s3, runId, String.format("part-%03d.csv", i), TestSupport.csv(rows + i)));
        }
        return parts;
    }

    /** The bucket's objects; s3proxy's file-system store also lists folders as "out/" markers, left out here. */
    private static List<S3Object> objects(String bucket) {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .filter(o -> !o.key().endsWith("/"))
                .toList();
    }

    private static void awaitStatus(UUID runId, String status) {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    @Test
    void s3PublishesEveryPartThenTheManifestAndCleansUpAnInterruptedUpload() throws Exception {
        String bucket = "acme-multi-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID routingId = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-multi-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = stageParts(runId, 3, 20_000);
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        // What a crash mid-upload leaves behind: an unfinished multipart upload of one of the keys.
        String dangling = s3.createMultipartUpload(b -> b.bucket(bucket).key("out/part-002.csv"))
                .uploadId();
        s3.uploadPart(
                b -> b.bucket(bucket).key("out/part-002.csv").uploadId(dangling).partNumber(1),
                RequestBody.fromBytes("half a file".getBytes(StandardCharsets.UTF_8)));

        String eventId = TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        awaitStatus(runId, "SUCCEEDED");

        JsonPath delivery = given().get("/deliveries/" + runId).then().extract().jsonPath();
        assertEquals(
                List.of("part-001.csv", "part-002.csv", "part-003.csv", "manifest.json"),
                delivery.getList("files.name"),
                "parts in order, the manifest last");
        assertEquals(1, delivery.getInt("attempts"));
        assertEquals(runId.toString(), delivery.getString("id"));
        assertEquals("ORIGINAL", delivery.getString("kind"));

        // The progress bar's last figures for the attempt: every file written, every staged byte read.
        long stagedBytes = Stream.concat(parts.stream(), Stream.of(manifest))
                .mapToLong(StagedFile::bytes)
                .sum();
        DeliveryProgressed expected = new DeliveryProgressed(runId, 1, 4, 4, stagedBytes, stagedBytes);
        assertEquals(
                1,
                KafkaTestClients.read(
                                Topics.DELIVERY_EVENTS,
                                r -> runId.toString().equals(r.key())
                                        && EventType.DELIVERY_PROGRESSED.type().equals(header(r))
                                        && expected.equals(codec.decode(r).data(DeliveryProgressed.class)),
                                1,
                                Duration.ofSeconds(30))
                        .size(),
                "the attempt's final DeliveryProgressed");

        List<S3Object> objects = objects(bucket);
        assertEquals(
                List.of("out/manifest.json", "out/part-001.csv", "out/part-002.csv", "out/part-003.csv"),
                objects.stream().map(S3Object::key).sorted().toList(),
                "exactly one copy of each file");
        for (StagedFile f : Stream.concat(parts.stream(), Stream.of(manifest)).toList()) {
            assertArrayEquals(
                    TestSupport.staged(s3, f),
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/" + f.name()))
                            .asByteArray(),
                    f.name());
        }
        Instant manifestAt = objects.stream()
                .filter(o -> o.key().endsWith("manifest.json"))
                .findFirst()
                .orElseThrow()
                .lastModified();
        assertTrue(
                objects.stream().allMatch(o -> !o.lastModified().isAfter(manifestAt)),
                "no part is newer than the manifest");
        assertTrue(
                s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(),
                "the interrupted upload was aborted, none of ours is left open");

        // The same completion again: processed, not delivered a second time.
        Map<String, Instant> before = objects.stream().collect(Collectors.toMap(S3Object::key, S3Object::lastModified));
        String again = TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.processed(again));
        assertTrue(TestSupport.processed(eventId));
        given().get("/deliveries/" + runId).then().body("attempts", equalTo(1));
        assertEquals(before, objects(bucket).stream().collect(Collectors.toMap(S3Object::key, S3Object::lastModified)));
    }

    @Test
    void s3FailureBeforePublicationLeavesNothingVisible() throws Exception {
        String bucket = "acme-multifail-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID routingId = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-multifail-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = stageParts(runId, 3, 1_000);
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        // The last part vanished from staging: parts 1 and 2 are uploaded but must never be published.
        s3.deleteObject(b -> b.bucket(parts.get(2).bucket()).key(parts.get(2).key()));

        TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        awaitStatus(runId, "FAILED");
        given().get("/deliveries/" + runId)
                .then()
                .body("error", equalTo("staged file part-003.csv is missing from the staging bucket"))
                .body("attempts", equalTo(1));
        assertTrue(objects(bucket).isEmpty(), "no part, no manifest");
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(), "uploads aborted");
    }

    @Test
    void sftpPublishesEveryPartThenTheManifestAndRemovesStaleTemporaries() throws Exception {
        String folder = "multi/run-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-multi-" + UUID.randomUUID(),
                folder,
                TestSupport.config("mailshot.test.sftp.password"),
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = stageParts(runId, 3, 20_000);
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        // What a crash mid-write leaves behind: a half-written temporary file.
        Path root = Path.of(TestSupport.config("mailshot.test.sftp.root"));
        Path dir = Files.createDirectories(root.resolve(folder));
        Files.writeString(dir.resolve(".part-002.csv." + UUID.randomUUID() + ".part"), "half a file");

        TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        awaitStatus(runId, "SUCCEEDED");
        assertEquals(
                List.of("part-001.csv", "part-002.csv", "part-003.csv", "manifest.json"),
                given().get("/deliveries/" + runId).then().extract().jsonPath().getList("files.name"));

        // Read back from the server's own file system, independently of any SFTP client.
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(
                    new TreeSet<>(List.of("manifest.json", "part-001.csv", "part-002.csv", "part-003.csv")),
                    listing.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                    "no temporary file is left, no second copy");
        }
        for (StagedFile f : Stream.concat(parts.stream(), Stream.of(manifest)).toList()) {
            assertArrayEquals(TestSupport.staged(s3, f), Files.readAllBytes(dir.resolve(f.name())), f.name());
        }
        Instant manifestAt =
                Files.getLastModifiedTime(dir.resolve("manifest.json")).toInstant();
        for (StagedFile p : parts) {
            assertFalse(
                    Files.getLastModifiedTime(dir.resolve(p.name())).toInstant().isAfter(manifestAt));
        }
    }

    @Test
    void sftpFailureBeforePublicationLeavesNothingVisible() throws Exception {
        String folder = "multi/fail-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-multifail-" + UUID.randomUUID(),
                folder,
                TestSupport.config("mailshot.test.sftp.password"),
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = stageParts(runId, 3, 1_000);
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        s3.deleteObject(b -> b.bucket(parts.get(1).bucket()).key(parts.get(1).key()));

        TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        awaitStatus(runId, "FAILED");
        given().get("/deliveries/" + runId)
                .then()
                .body("error", containsString("part-002.csv is missing from the staging bucket"))
                .body("attempts", equalTo(1));
        Path dir = Path.of(TestSupport.config("mailshot.test.sftp.root")).resolve(folder);
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    listing.map(p -> p.getFileName().toString()).toList(),
                    "part-001.csv was written under a temporary name only, and removed");
        }
    }

    private static String header(ConsumerRecord<String, String> r) {
        Header type = r.headers().lastHeader(CloudEventHeaders.TYPE);
        return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }
}
