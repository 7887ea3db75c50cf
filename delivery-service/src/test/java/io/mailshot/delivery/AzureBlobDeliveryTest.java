package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.sun.net.httpserver.HttpServer;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import io.mailshot.infra.AzuriteServer;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Azure Blob routings against Azurite (Microsoft's emulator from npm, installed and started by
 * {@link AzuriteServer} on a free port, stopped at the end). What arrived is read back with a blob client built
 * here, independently of the service.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class AzureBlobDeliveryTest {

    /** A well-formed account key that is not Azurite's: every request signed with it is refused. */
    /** A well-formed account key that is not Azurite's: made at test time, never committed. */
    static final String WRONG_ACCOUNT_KEY = randomAccountKey();

    private static String randomAccountKey() {
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Inject
    EventCodec codec;

    private static AzuriteServer azurite;
    private static BlobServiceClient blobs;
    private static S3Client s3;
    private static KafkaProducer<String, String> producer;
    private static Gpg gpg;

    @BeforeAll
    static void start() throws Exception {
        azurite =
                AzuriteServer.start(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "azurite-"));
        blobs = new BlobServiceClientBuilder()
                .connectionString(azurite.connectionString())
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
        s3 = TestSupport.s3();
        producer = TestSupport.producer();
        gpg = Gpg.withNewKey("future-default");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gpg != null) {
            gpg.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    static Map<String, Object> azureRouting(String name, String container, String baseFolder, String connection) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "name",
                name,
                "type",
                "AZURE_BLOB",
                "status",
                "ACTIVE",
                "azureBlob",
                Map.of("connectionString", connection, "container", container)));
        if (baseFolder != null) {
            body.put("baseFolder", baseFolder);
        }
        return body;
    }

    private static String container() {
        String name = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        blobs.createBlobContainer(name);
        return name;
    }

    /** Committed blobs only (what a provider lists); uncommitted blocks are not blobs. */
    private static List<String> names(String container) {
        List<String> names = new ArrayList<>();
        for (BlobItem item : blobs.getBlobContainerClient(container).listBlobs()) {
            names.add(item.getName());
        }
        return names.stream().sorted().toList();
    }

    private static byte[] read(String container, String path) {
        return blobs.getBlobContainerClient(container)
                .getBlobClient(path)
                .downloadContent()
                .toBytes();
    }

    private static void awaitStatus(UUID runId, String status) {
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    @Test
    void deliversPartsThenManifestThenTriggerIntoTheRunFolderAndReadsThemBack() throws Exception {
        String container = container();
        UUID routingId = TestSupport.createRouting(
                azureRouting("azure-ok-" + container, container, "outbound", azurite.connectionString()));
        JsonPath view = given().get("/file-routings/" + routingId)
                .then()
                .statusCode(200)
                .body("azureBlob.connectionStringSet", equalTo(true))
                .body("azureBlob.accountName", equalTo(AzuriteServer.ACCOUNT))
                .body("azureBlob.blobEndpoint", equalTo(azurite.blobEndpoint()))
                .body("azureBlob.container", equalTo(container))
                .body("azureBlob.connectionString", nullValue())
                .extract()
                .jsonPath();
        assertFalse(view.prettify().contains(AzuriteServer.ACCOUNT_KEY), "the account key is never returned");

        JsonPath probe = given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(probe.getBoolean("ok"), probe.prettify());
        assertEquals(List.of("connect:done", "login:done", "write:done", "delete:done"), TestSupport.statuses(probe));
        assertEquals("reached " + azurite.blobEndpoint(), probe.getString("steps[0].message"));
        assertTrue(names(container).isEmpty(), "the probe file was removed");

        UUID runId = UUID.randomUUID();
        // The first part is bigger than one 8 MiB block, so it really is staged as several blocks.
        byte[] big = TestSupport.csv(400_000);
        assertTrue(big.length > 8 * 1024 * 1024);
        List<StagedFile> parts = List.of(
                TestSupport.stage(s3, runId, "mail-001.csv", big),
                TestSupport.stage(s3, runId, "mail-002.csv", TestSupport.csv(25)));
        StagedFile manifest = TestSupport.stageExtractionManifest(s3, runId, "mail", parts);
        StagedFile trigger = TestSupport.stageTrigger(s3, runId, "mail", parts);
        String metricsBefore = TestSupport.metrics();
        String eventId = TestSupport.publish(
                producer,
                codec,
                new ExtractionCompleted(
                        runId, UUID.randomUUID(), routingId, 400_025, parts, manifest, 0, 0, trigger, "2026/11"));
        awaitStatus(runId, "SUCCEEDED");
        String metricsAfter = TestSupport.metrics();

        JsonPath delivery = given().get("/deliveries/" + runId).then().extract().jsonPath();
        assertEquals(
                List.of("mail-001.csv", "mail-002.csv", "mail.manifest.json", "mail.manifest.csv"),
                delivery.getList("files.name"),
                "parts in order, then the manifest, then the trigger file");
        assertEquals(azurite.blobEndpoint() + "/" + container + "/outbound/2026/11", delivery.getString("destination"));
        assertEquals(
                azurite.blobEndpoint() + "/" + container + "/outbound/2026/11/mail-001.csv",
                delivery.getString("files[0].location"));
        assertEquals(1, delivery.getInt("attempts"));

        List<StagedFile> all = List.of(parts.get(0), parts.get(1), manifest, trigger);
        assertEquals(
                all.stream().map(f -> "outbound/2026/11/" + f.name()).sorted().toList(),
                names(container),
                "exactly one copy of each file, in the run's folder");
        BlobContainerClient client = blobs.getBlobContainerClient(container);
        long deliveredBytes = 0;
        for (int i = 0; i < all.size(); i++) {
            StagedFile f = all.get(i);
            byte[] expected = TestSupport.staged(s3, f);
            assertArrayEquals(expected, read(container, "outbound/2026/11/" + f.name()), f.name());
            BlobProperties properties =
                    client.getBlobClient("outbound/2026/11/" + f.name()).getProperties();
            assertEquals(expected.length, properties.getBlobSize());
            assertArrayEquals(
                    MessageDigest.getInstance("MD5").digest(expected),
                    properties.getContentMd5(),
                    "Content-MD5 is stored for readers to check");
            assertEquals(f.sha256(), delivery.getString("files[" + i + "].sha256"));
            deliveredBytes += expected.length;
        }
        assertEquals(
                all.size(),
                TestSupport.delta(
                        metricsBefore,
                        metricsAfter,
                        Metrics.counterSeries(Metrics.DELIVERED_FILES),
                        "transport",
                        "azure_blob"));
        assertEquals(
                deliveredBytes,
                TestSupport.delta(
                        metricsBefore,
                        metricsAfter,
                        Metrics.counterSeries(Metrics.DELIVERED_BYTES),
                        "transport",
                        "azure_blob"));
        var trigged = client.getBlobClient("outbound/2026/11/mail.manifest.csv")
                .getProperties()
                .getLastModified();
        var manifested = client.getBlobClient("outbound/2026/11/mail.manifest.json")
                .getProperties()
                .getLastModified();
        var first = client.getBlobClient("outbound/2026/11/mail-001.csv")
                .getProperties()
                .getLastModified();
        assertFalse(first.isAfter(manifested), "no part is newer than the manifest");
        assertFalse(manifested.isAfter(trigged), "the trigger file is not older than the manifest");

        // The same completion again: recorded as processed, nothing delivered a second time.
        var before = client.getBlobClient("outbound/2026/11/mail-001.csv")
                .getProperties()
                .getETag();
        String again = TestSupport.publish(
                producer,
                codec,
                new ExtractionCompleted(
                        runId, UUID.randomUUID(), routingId, 400_025, parts, manifest, 0, 0, trigger, "2026/11"));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.processed(again));
        assertTrue(TestSupport.processed(eventId));
        given().get("/deliveries/" + runId).then().body("attempts", equalTo(1));
        assertEquals(
                before,
                client.getBlobClient("outbound/2026/11/mail-001.csv")
                        .getProperties()
                        .getETag());

        // A re-send to the same routing publishes the same names again (overwritten atomically, no second copy).
        String resendId = given().contentType(ContentType.JSON)
                .body("{}")
                .post("/deliveries/" + runId + "/resend")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId + "/resends/" + resendId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED")));
        assertEquals(
                all.stream().map(f -> "outbound/2026/11/" + f.name()).sorted().toList(), names(container));
        assertArrayEquals(big, read(container, "outbound/2026/11/mail-001.csv"));
    }

    @Test
    void encryptsWithPgpAndGpgDecryptsWhatArrived() throws Exception {
        String container = container();
        Map<String, Object> body =
                azureRouting("azure-pgp-" + container, container, "sealed", azurite.connectionString());
        body.put("pgpPublicKey", gpg.publicKey);
        UUID routingId = TestSupport.createRouting(body);
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = List.of(TestSupport.stage(s3, runId, "part-001.csv", TestSupport.csv(30_000)));
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        awaitStatus(runId, "SUCCEEDED");

        assertEquals(
                List.of("sealed/manifest.json.pgp", "sealed/part-001.csv.pgp"), names(container), "no clear-text copy");
        for (StagedFile f : List.of(parts.get(0), manifest)) {
            byte[] encrypted = read(container, "sealed/" + f.name() + ".pgp");
            assertArrayEquals(TestSupport.staged(s3, f), gpg.decrypt(encrypted), f.name());
        }
    }

    /** A connection string for Azurite's account and key with another blob endpoint. */
    private static String endpoint(String blobEndpoint) {
        return "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint=" + blobEndpoint + ";";
    }

    @Test
    void wrongEndpointsStopAtConnectOrLoginAndUnusableOnesAreRefused() throws Exception {
        String container = container();
        List<String> notAfterConnect =
                List.of("connect:failed", "login:not-reached", "write:not-reached", "delete:not-reached");
        int closed = TestSupport.closedPort();
        JsonPath refused = TestSupport.connectionTest(TestSupport.createRouting(azureRouting(
                "azure-closed-" + container,
                container,
                null,
                endpoint("http://127.0.0.1:" + closed + "/" + AzuriteServer.ACCOUNT))));
        assertEquals(notAfterConnect, TestSupport.statuses(refused));
        assertTrue(
                refused.getString("steps[0].message").startsWith("cannot reach http://127.0.0.1:" + closed),
                refused.getString("steps[0].message"));

        HttpServer web = TestSupport.webServer();
        try {
            String other = "http://127.0.0.1:" + web.getAddress().getPort() + "/" + AzuriteServer.ACCOUNT;
            JsonPath notAzure = TestSupport.connectionTest(TestSupport.createRouting(
                    azureRouting("azure-web-" + container, container, null, endpoint(other))));
            assertEquals(
                    List.of("connect:done", "login:failed", "write:not-reached", "delete:not-reached"),
                    TestSupport.statuses(notAzure));
            assertEquals("reached " + other + " (it answered HTTP 404)", notAzure.getString("steps[0].message"));
            assertTrue(
                    notAzure.getString("steps[1].message").contains("did not answer like Azure Blob Storage"),
                    notAzure.getString("steps[1].message"));
        } finally {
            web.stop(0);
        }

        // A host name with a port, Azurite's style, is tested like any other.
        UUID byName = TestSupport.createRouting(azureRouting(
                "azure-name-" + container,
                container,
                "named",
                endpoint("http://localhost:" + azurite.port() + "/" + AzuriteServer.ACCOUNT)));
        JsonPath ok = TestSupport.connectionTest(byName);
        assertEquals(
                List.of("connect:done", "login:done", "write:done", "delete:done"),
                TestSupport.statuses(ok),
                ok.prettify());
        assertTrue(names(container).isEmpty(), "the probes were removed");

        // Endpoints the Azure client cannot use are refused when saved, naming the field, never echoing the string:
        // among them IPv6 addresses (the client splits host and port at the first ':').
        for (String bad : List.of(
                "http://[::1]:" + azurite.port() + "/" + AzuriteServer.ACCOUNT,
                "http://127.0.0.1:" + azurite.port(),
                "http://127.0.0.1:" + azurite.port() + "/otheraccount",
                "https://files.example.com/devstoreaccount1",
                "http://127.0.0.1:99999/" + AzuriteServer.ACCOUNT,
                "http://[::1/" + AzuriteServer.ACCOUNT,
                "http://exa_mple.com")) {
            String response = given().contentType(ContentType.JSON)
                    .body(azureRouting("azure-bad-" + container, container, null, endpoint(bad)))
                    .post("/file-routings")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("azureBlob.connectionString"))
                    .body("rule", equalTo("azure-connection-string"))
                    .extract()
                    .asString();
            assertFalse(response.contains(AzuriteServer.ACCOUNT_KEY));
        }
    }

    @Test
    void wrongAccountKeyFailsFastAndNothingIsVisible() throws Exception {
        String container = container();
        String wrong = azurite.connectionString(WRONG_ACCOUNT_KEY);
        UUID routingId = TestSupport.createRouting(azureRouting("azure-denied-" + container, container, "out", wrong));
        JsonPath probe = given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertFalse(probe.getBoolean("ok"));
        assertEquals(
                List.of("connect:done", "login:failed", "write:not-reached", "delete:not-reached"),
                TestSupport.statuses(probe));
        assertEquals(
                "authentication refused for account devstoreaccount1 (AuthorizationFailure): check the account"
                        + " key in the connection string",
                probe.getString("steps[1].message"));

        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(10));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
        awaitStatus(runId, "FAILED");
        String response = given().get("/deliveries/" + runId)
                .then()
                .body(
                        "error",
                        equalTo("authentication refused for account devstoreaccount1 (AuthorizationFailure):"
                                + " check the account key in the connection string"))
                .body("attempts", equalTo(1))
                .extract()
                .asString();
        assertFalse(response.contains(WRONG_ACCOUNT_KEY));
        assertTrue(names(container).isEmpty());
    }

    @Test
    void missingContainerFailsFastWithAClearReason() throws Exception {
        String container = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(
                azureRouting("azure-nocontainer-" + container, container, null, azurite.connectionString()));
        given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(200)
                .body("ok", equalTo(false))
                .body(
                        "steps[1].message",
                        equalTo("container " + container + " does not exist in account " + AzuriteServer.ACCOUNT));
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(10));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
        awaitStatus(runId, "FAILED");
        given().get("/deliveries/" + runId)
                .then()
                .body(
                        "error",
                        equalTo("container " + container + " does not exist in account " + AzuriteServer.ACCOUNT))
                .body("attempts", equalTo(1));
        assertFalse(blobs.getBlobContainerClient(container).exists(), "nothing created it");
    }

    @Test
    void failureBeforePublicationLeavesNothingVisible() throws Exception {
        String container = container();
        UUID routingId = TestSupport.createRouting(
                azureRouting("azure-fail-" + container, container, "out", azurite.connectionString()));
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = List.of(
                TestSupport.stage(s3, runId, "part-001.csv", TestSupport.csv(1_000)),
                TestSupport.stage(s3, runId, "part-002.csv", TestSupport.csv(1_000)));
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        // The second part vanished from staging: the first one is staged as blocks but must never be committed.
        s3.deleteObject(b -> b.bucket(parts.get(1).bucket()).key(parts.get(1).key()));
        TestSupport.publishCompleted(producer, codec, runId, routingId, parts, manifest);
        awaitStatus(runId, "FAILED");
        given().get("/deliveries/" + runId)
                .then()
                .body("error", equalTo("staged file part-002.csv is missing from the staging bucket"));
        assertTrue(names(container).isEmpty(), "no part, no manifest");
        // The blocks of part-001 are there, uncommitted: invisible to a provider listing the container.
        List<String> uncommitted = new ArrayList<>();
        blobs.getBlobContainerClient(container)
                .listBlobs(
                        new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)),
                        null)
                .forEach(b -> uncommitted.add(b.getName()));
        assertEquals(List.of("out/part-001.csv"), uncommitted, "staged, never committed");
    }

    @Test
    void invalidSettingsAreRefusedNamingFieldAndRule() {
        for (String bad : List.of("ab", "Upper-case", "has/slash", "-leading", "double--hyphen", "a".repeat(64))) {
            given().contentType(ContentType.JSON)
                    .body(azureRouting("azure-bad-" + UUID.randomUUID(), bad, null, azurite.connectionString()))
                    .post("/file-routings")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("azureBlob.container"));
        }
        String noKey =
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;BlobEndpoint=" + azurite.blobEndpoint();
        String notBase64 =
                "AccountName=devstoreaccount1;AccountKey=secret-not-base64!!;BlobEndpoint=" + azurite.blobEndpoint();
        for (String bad : List.of(noKey, notBase64, "garbage")) {
            given().contentType(ContentType.JSON)
                    .body(azureRouting("azure-bad-" + UUID.randomUUID(), "good-name", null, bad))
                    .post("/file-routings")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("azureBlob.connectionString"))
                    .body("rule", equalTo("azure-connection-string"))
                    .body(not(containsString("secret-not-base64")));
        }
        Map<String, Object> both =
                azureRouting("azure-both-" + UUID.randomUUID(), "good-name", null, azurite.connectionString());
        both.put("s3", Map.of("bucket", "some-bucket", "accessKeyId", "a", "secretAccessKey", "b"));
        given().contentType(ContentType.JSON)
                .body(both)
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("s3"))
                .body("rule", equalTo("forbidden"));

        // Update keeps the connection string unless a new one is sent, while the destination stays.
        String container = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = TestSupport.createRouting(
                azureRouting("azure-upd-" + container, container, null, azurite.connectionString()));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "azure-upd-" + container,
                        "type",
                        "AZURE_BLOB",
                        "baseFolder",
                        "moved",
                        "azureBlob",
                        Map.of("container", container)))
                .put("/file-routings/" + id)
                .then()
                .statusCode(200)
                .body("azureBlob.connectionStringSet", equalTo(true))
                .body("baseFolder", equalTo("moved"))
                .body("azureBlob.accountName", equalTo(AzuriteServer.ACCOUNT));
        // Another container is another destination: the key does not follow it, and an ACTIVE routing needs one.
        String other = "other-" + container.substring(5);
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "azure-upd-" + container,
                        "type",
                        "AZURE_BLOB",
                        "azureBlob",
                        Map.of("container", other)))
                .put("/file-routings/" + id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("azureBlob.connectionString"))
                .body("rule", equalTo("required"));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "azure-upd-" + container,
                        "type",
                        "AZURE_BLOB",
                        "status",
                        "DRAFT",
                        "azureBlob",
                        Map.of("container", other)))
                .put("/file-routings/" + id)
                .then()
                .statusCode(200)
                .body("azureBlob.connectionStringSet", equalTo(false))
                .body("azureBlob.container", equalTo(other))
                .body("azureBlob.accountName", equalTo(AzuriteServer.ACCOUNT));
        JsonPath keyless = TestSupport.connectionTest(id);
        assertEquals(
                List.of("connect:done", "login:failed", "write:not-reached", "delete:not-reached"),
                TestSupport.statuses(keyless),
                keyless.prettify());
        assertTrue(
                keyless.getString("steps[1].message").startsWith("no azureBlob.connectionString is stored"),
                keyless.getString("steps[1].message"));
        given().post("/file-routings/" + id + "/activate")
                .then()
                .statusCode(409)
                .body("rule", equalTo("secret-required"));
    }
}
