package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Routing and run options on the way out: the run's folder under the base folder (checked again on arrival), the
 * trigger file after the manifest, timestamped names with a manifest that names what was delivered, and S3
 * server-side encryption. Read back with the real clients a provider uses: OpenSSH sftp and the AWS CLI v2.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class PublicationOptionsTest {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventCodec codec;

    private static S3Client s3;
    private static KafkaProducer<String, String> producer;
    private static Path work;

    @BeforeAll
    static void clients() throws Exception {
        s3 = TestSupport.s3();
        producer = TestSupport.producer();
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-");
    }

    @AfterAll
    static void close() {
        producer.close();
        s3.close();
    }

    private static void awaitStatus(UUID runId, String status) {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    private static Map<String, Object> withTimestamps(Map<String, Object> routing) {
        Map<String, Object> body = new HashMap<>(routing);
        body.put("timestampFileNames", true);
        return body;
    }

    @Test
    void sftpRunFolderTriggerAndTimestampedNamesReadBackWithOpenSshSftp() throws Exception {
        String base = "inbox/opts-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(withTimestamps(TestSupport.sftpRouting(
                "sftp-opts-" + UUID.randomUUID(),
                base,
                TestSupport.config("mailshot.test.sftp.password"),
                TestSupport.config("mailshot.test.sftp.fingerprint"))));
        given().get("/file-routings/" + routingId).then().body("timestampFileNames", equalTo(true));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = List.of(
                TestSupport.stage(s3, runId, "mail-001.csv", TestSupport.csv(20_000)),
                TestSupport.stage(s3, runId, "mail-002.csv", TestSupport.csv(15)));
        StagedFile manifest = TestSupport.stageExtractionManifest(s3, runId, "mail", parts);
        StagedFile trigger = TestSupport.stageTrigger(s3, runId, "mail", parts);
        ExtractionCompleted event = new ExtractionCompleted(
                runId, UUID.randomUUID(), routingId, 20_015, parts, manifest, 0, 0, trigger, "2026/11");
        TestSupport.publish(producer, codec, event);
        awaitStatus(runId, "SUCCEEDED");

        JsonPath delivery = given().get("/deliveries/" + runId).then().extract().jsonPath();
        String stamp = STAMP.format(Instant.parse(delivery.getString("createdAt")));
        List<String> expected = List.of(
                "mail-001_" + stamp + ".csv",
                "mail-002_" + stamp + ".csv",
                "mail_" + stamp + ".manifest.json",
                "mail_" + stamp + ".manifest.csv");
        assertEquals(expected, delivery.getList("files.name"), "parts, manifest, trigger; one stamp for the run");
        String folder = base + "/2026/11";

        // Read everything back with the OpenSSH sftp client, pinned to the MINA server's host key.
        Path back = Files.createDirectories(work.resolve("sftp-" + runId));
        String listing = CliClients.minaSftp(
                work,
                "ls -1a " + folder + "\n"
                        + expected.stream()
                                .map(n -> "get " + folder + "/" + n + " " + back.resolve(n) + "\n")
                                .collect(Collectors.joining()));
        List<String> listed = listing.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("sftp>") && !l.endsWith("/.") && !l.endsWith("/.."))
                .map(l -> l.substring(l.lastIndexOf('/') + 1))
                .sorted()
                .toList();
        assertEquals(expected.stream().sorted().toList(), listed, "no temporary file, no second copy: " + listing);
        assertArrayEquals(TestSupport.staged(s3, parts.get(0)), Files.readAllBytes(back.resolve(expected.get(0))));
        assertArrayEquals(TestSupport.staged(s3, parts.get(1)), Files.readAllBytes(back.resolve(expected.get(1))));

        // The manifest names the parts as delivered, and still describes their content.
        byte[] manifestBytes = Files.readAllBytes(back.resolve(expected.get(2)));
        JsonNode json = JSON.readTree(manifestBytes);
        assertEquals(expected.get(0), json.at("/parts/0/name").asText());
        assertEquals(expected.get(1), json.at("/parts/1/name").asText());
        assertEquals(parts.get(0).sha256(), json.at("/parts/0/sha256").asText());
        assertEquals(
                TestSupport.sha256(Files.readAllBytes(back.resolve(expected.get(0)))),
                json.at("/parts/0/sha256").asText());
        assertEquals("Spring \"mail\"", json.at("/campaignName").asText(), "the rest is untouched");
        assertEquals("runs/" + runId + "/mail-001.csv", json.at("/parts/0/key").asText());
        assertEquals(
                TestSupport.sha256(manifestBytes),
                delivery.getString("files[2].sha256"),
                "the delivery records the checksum of the manifest it wrote");
        assertEquals(manifestBytes.length, delivery.getLong("files[2].bytes"));
        String csv = Files.readString(back.resolve(expected.get(3)), StandardCharsets.UTF_8);
        assertEquals(
                List.of("name", expected.get(0), expected.get(1)),
                csv.lines().map(l -> l.split(",")[3]).toList(),
                csv);
        assertEquals(TestSupport.sha256(csv.getBytes(StandardCharsets.UTF_8)), delivery.getString("files[3].sha256"));

        // The same completion again changes nothing: same stamp, no second set of files.
        String again = TestSupport.publish(producer, codec, event);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.processed(again));
        Path root = Path.of(TestSupport.config("mailshot.test.sftp.root"));
        try (Stream<Path> files = Files.list(root.resolve(folder))) {
            assertEquals(
                    expected.stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void badRunFolderIsRefusedOnArrivalAndNothingIsWritten() throws Exception {
        String base = "inbox/badfolder-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-badfolder-" + UUID.randomUUID(),
                base,
                TestSupport.config("mailshot.test.sftp.password"),
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        Path root = Path.of(TestSupport.config("mailshot.test.sftp.root"));
        Map<String, String> refusals = Map.of(
                "../escape",
                        "the run's folder ../escape is refused (it must not contain '.' or '..' segments);"
                                + " nothing was written",
                "/etc", "the run's folder /etc is refused (it must be relative (no leading '/')); nothing was written",
                "a\u0007b",
                        "the run's folder a?b is refused (it must not contain control characters); nothing was"
                                + " written");
        for (Map.Entry<String, String> bad : refusals.entrySet()) {
            UUID runId = UUID.randomUUID();
            StagedFile part = TestSupport.stage(s3, runId, "mail.csv", TestSupport.csv(5));
            TestSupport.publish(
                    producer,
                    codec,
                    new ExtractionCompleted(
                            runId, UUID.randomUUID(), routingId, 5, List.of(part), null, 0, 0, null, bad.getKey()));
            awaitStatus(runId, "FAILED");
            given().get("/deliveries/" + runId)
                    .then()
                    .body("error", equalTo(bad.getValue()))
                    .body("attempts", equalTo(0));
        }
        assertFalse(Files.exists(root.resolve(base)), "nothing was written, not even the base folder");
        assertFalse(Files.exists(root.resolve("inbox/escape")));
    }

    @Test
    void s3RunFolderAndTriggerReadBackWithTheAwsCli() throws Exception {
        String bucket = "acme-opts-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        UUID routingId = TestSupport.createRouting(TestSupport.s3Routing(
                "s3-opts-" + bucket, bucket, "outbound", TestSupport.config("mailshot.staging.secret-access-key")));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = List.of(
                TestSupport.stage(s3, runId, "mail-001.csv", TestSupport.csv(3_000)),
                TestSupport.stage(s3, runId, "mail-002.csv", TestSupport.csv(30)));
        StagedFile manifest = TestSupport.stageExtractionManifest(s3, runId, "mail", parts);
        StagedFile trigger = TestSupport.stageTrigger(s3, runId, "mail", parts);
        TestSupport.publish(
                producer,
                codec,
                new ExtractionCompleted(
                        runId, UUID.randomUUID(), routingId, 3_030, parts, manifest, 0, 0, trigger, "2026/11"));
        awaitStatus(runId, "SUCCEEDED");
        JsonPath delivery = given().get("/deliveries/" + runId).then().extract().jsonPath();
        assertEquals(
                List.of("mail-001.csv", "mail-002.csv", "mail.manifest.json", "mail.manifest.csv"),
                delivery.getList("files.name"),
                "parts, then the manifest, then the trigger file");
        assertEquals("s3://" + bucket + "/outbound/2026/11", delivery.getString("destination"));
        assertEquals("s3://" + bucket + "/outbound/2026/11/mail.manifest.csv", delivery.getString("files[3].location"));

        // Read back with the AWS CLI v2, as a provider would.
        Path back = Files.createDirectories(work.resolve("s3-" + runId));
        // s3proxy's file-system store lists folders as "…/" marker keys: not files, so not downloaded.
        CliClients.aws("s3", "cp", "--recursive", "--exclude", "*/", "s3://" + bucket + "/outbound/", back.toString());
        try (Stream<Path> files = Files.walk(back)) {
            assertEquals(
                    List.of(
                            "2026/11/mail-001.csv",
                            "2026/11/mail-002.csv",
                            "2026/11/mail.manifest.csv",
                            "2026/11/mail.manifest.json"),
                    files.filter(Files::isRegularFile)
                            .map(p -> back.relativize(p).toString())
                            .sorted()
                            .toList());
        }
        for (StagedFile f : List.of(parts.get(0), parts.get(1), manifest, trigger)) {
            assertArrayEquals(
                    TestSupport.staged(s3, f), Files.readAllBytes(back.resolve("2026/11/" + f.name())), f.name());
        }
        JsonNode manifestHead = JSON.readTree(CliClients.aws(
                "s3api", "head-object", "--bucket", bucket, "--key", "outbound/2026/11/mail.manifest.json"));
        JsonNode triggerHead = JSON.readTree(CliClients.aws(
                "s3api", "head-object", "--bucket", bucket, "--key", "outbound/2026/11/mail.manifest.csv"));
        assertEquals(trigger.bytes(), triggerHead.get("ContentLength").asLong());
        assertFalse(
                Instant.parse(triggerHead.get("LastModified").asText().replace("+00:00", "Z"))
                        .isBefore(Instant.parse(
                                manifestHead.get("LastModified").asText().replace("+00:00", "Z"))),
                "the trigger file is not older than the manifest");
    }

    @Test
    void s3ServerSideEncryptionReachesTheServerAndItsRefusalIsReportedPlainly() throws Exception {
        String bucket = "acme-sse-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        int s3Port = URI.create(TestSupport.config("mailshot.test.s3.endpoint")).getPort();
        try (RecordingTcpProxy proxy = new RecordingTcpProxy(s3Port)) {
            Map<String, Object> body = new HashMap<>(TestSupport.s3Routing(
                    "s3-sse-" + bucket, bucket, "outbound", TestSupport.config("mailshot.staging.secret-access-key")));
            body.put(
                    "s3",
                    Map.of(
                            "bucket",
                            bucket,
                            "region",
                            "us-east-1",
                            "endpoint",
                            "http://127.0.0.1:" + proxy.port(),
                            "pathStyle",
                            true,
                            "accessKeyId",
                            TestSupport.config("mailshot.staging.access-key-id"),
                            "secretAccessKey",
                            TestSupport.config("mailshot.staging.secret-access-key"),
                            "serverSideEncryption",
                            "aws:kms",
                            "kmsKeyId",
                            "alias/mailshot-test"));
            UUID routingId = TestSupport.createRouting(body);
            given().get("/file-routings/" + routingId)
                    .then()
                    .body("s3.serverSideEncryption", equalTo("aws:kms"))
                    .body("s3.kmsKeyId", equalTo("alias/mailshot-test"));
            String refusal = "the S3 server of bucket " + bucket + " does not support server-side encryption aws:kms"
                    + " (HTTP 501 NotImplemented): remove the setting or use a store that supports it";
            // The connection test writes its probe with the same encryption settings.
            given().post("/file-routings/" + routingId + "/test")
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("steps[2].step", equalTo("write"))
                    .body("steps[2].message", equalTo(refusal));

            UUID runId = UUID.randomUUID();
            StagedFile part = TestSupport.stage(s3, runId, "mail.csv", TestSupport.csv(100));
            TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(part));
            awaitStatus(runId, "FAILED");
            given().get("/deliveries/" + runId)
                    .then()
                    .body("error", equalTo(refusal))
                    .body("attempts", equalTo(1));
            assertTrue(
                    s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                            .noneMatch(o -> !o.key().endsWith("/")),
                    "nothing visible");

            // The headers really went over the wire: on the probe (PUT) and on CreateMultipartUpload (POST ?uploads).
            List<String> sent = proxy.sent().lines().map(String::toLowerCase).toList();
            assertTrue(sent.stream().anyMatch(l -> l.startsWith("post ") && l.contains("?uploads")), "an upload began");
            assertEquals(
                    2,
                    sent.stream()
                            .filter(l -> l.replace(" ", "").equals("x-amz-server-side-encryption:aws:kms"))
                            .count(),
                    String.join(
                            "\n",
                            sent.stream().filter(l -> l.startsWith("x-amz")).toList()));
            assertEquals(
                    2,
                    sent.stream()
                            .filter(l -> l.replace(" ", "")
                                    .equals("x-amz-server-side-encryption-aws-kms-key-id:alias/mailshot-test"))
                            .count());
        }
    }

    @Test
    void kmsKeyWithoutKmsEncryptionIsRefused() {
        Map<String, Object> body =
                new HashMap<>(TestSupport.s3Routing("s3-kms-" + UUID.randomUUID(), "some-bucket", "out", "x"));
        body.put(
                "s3",
                Map.of(
                        "bucket",
                        "some-bucket",
                        "accessKeyId",
                        "a",
                        "secretAccessKey",
                        "b",
                        "serverSideEncryption",
                        "AES256",
                        "kmsKeyId",
                        "alias/mailshot"));
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("s3.kmsKeyId"))
                .body("rule", equalTo("kms-needs-aws-kms"));
        body.put(
                "s3",
                Map.of(
                        "bucket",
                        "some-bucket",
                        "accessKeyId",
                        "a",
                        "secretAccessKey",
                        "b",
                        "serverSideEncryption",
                        "aws:kms:dsse"));
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/file-routings")
                .then()
                .statusCode(400)
                .body("field", equalTo("s3.serverSideEncryption"))
                .body("rule", equalTo("Pattern"));
    }
}
