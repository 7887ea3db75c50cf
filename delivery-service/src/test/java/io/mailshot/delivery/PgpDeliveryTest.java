package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** OpenPGP encryption on the way out, checked by decrypting what arrived with the real gpg. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class PgpDeliveryTest {

    @Inject
    EventCodec codec;

    private static S3Client s3;
    private static KafkaProducer<String, String> producer;
    private static Gpg curve25519;
    private static Gpg rsa;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = TestSupport.s3();
        producer = TestSupport.producer();
        curve25519 = Gpg.withNewKey("future-default");
        rsa = Gpg.withNewKey("rsa3072");
    }

    @AfterAll
    static void tearDown() throws Exception {
        producer.close();
        s3.close();
        curve25519.close();
        rsa.close();
    }

    private static Map<String, Object> withKey(Map<String, Object> routing, String key) {
        Map<String, Object> body = new HashMap<>(routing);
        body.put("pgpPublicKey", key);
        return body;
    }

    /** The armour label of an OpenPGP private key, which a routing must refuse. */
    private static final String PRIVATE_BLOCK = "PGP PRIVATE" + " KEY BLOCK";

    @Test
    void s3FilesAreEncryptedToTheRoutingKeyAndDecryptWithGpg() throws Exception {
        String bucket = "acme-pgp-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        String id = given().contentType(ContentType.JSON)
                .body(withKey(
                        TestSupport.s3Routing(
                                "s3-pgp-" + bucket,
                                bucket,
                                "sealed",
                                TestSupport.config("mailshot.staging.secret-access-key")),
                        curve25519.publicKey))
                .post("/file-routings")
                .then()
                .statusCode(201)
                .body("pgpKeyFingerprint", equalTo(curve25519.fingerprint))
                .extract()
                .path("id");
        UUID runId = UUID.randomUUID();
        List<StagedFile> parts = List.of(
                TestSupport.stage(s3, runId, "part-001.csv", TestSupport.csv(40_000)),
                TestSupport.stage(s3, runId, "part-002.csv", TestSupport.csv(7)));
        StagedFile manifest = TestSupport.stageManifest(s3, runId, parts);
        TestSupport.publishCompleted(producer, codec, runId, UUID.fromString(id), parts, manifest);

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED")));
        JsonPath delivery = given().get("/deliveries/" + runId).then().extract().jsonPath();
        assertEquals(
                List.of("part-001.csv.pgp", "part-002.csv.pgp", "manifest.json.pgp"), delivery.getList("files.name"));

        List<StagedFile> all =
                Stream.concat(parts.stream(), Stream.of(manifest)).toList();
        for (int i = 0; i < all.size(); i++) {
            StagedFile f = all.get(i);
            byte[] encrypted = s3.getObjectAsBytes(b -> b.bucket(bucket).key("sealed/" + f.name() + ".pgp"))
                    .asByteArray();
            assertEquals(encrypted.length, delivery.getLong("files[" + i + "].bytes"));
            assertEquals(
                    TestSupport.sha256(encrypted),
                    delivery.getString("files[" + i + "].sha256"),
                    "the recorded checksum is the delivered (encrypted) file's");
            assertArrayEquals(TestSupport.staged(s3, f), curve25519.decrypt(encrypted), f.name());
        }
        // s3proxy's file-system store lists folders as "sealed/" markers: not objects anyone delivered.
        assertEquals(
                3,
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .filter(o -> !o.key().endsWith("/"))
                        .count(),
                "no clear-text copy");
    }

    @Test
    void sftpFilesAreEncryptedWithAnRsaKeyAndDecryptWithGpg() throws Exception {
        String folder = "sealed/run-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(withKey(
                TestSupport.sftpRouting(
                        "sftp-pgp-" + UUID.randomUUID(),
                        folder,
                        TestSupport.config("mailshot.test.sftp.password"),
                        TestSupport.config("mailshot.test.sftp.fingerprint")),
                rsa.publicKey));
        UUID runId = UUID.randomUUID();
        StagedFile part = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(60_000));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(part));

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED")));
        Path dir = Path.of(TestSupport.config("mailshot.test.sftp.root")).resolve(folder);
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(
                    List.of("audience.csv.pgp"),
                    listing.map(p -> p.getFileName().toString()).toList());
        }
        byte[] encrypted = Files.readAllBytes(dir.resolve("audience.csv.pgp"));
        assertFalse(
                new String(encrypted, StandardCharsets.ISO_8859_1).contains("Name1,"),
                "no clear text in the delivered file");
        assertArrayEquals(TestSupport.staged(s3, part), rsa.decrypt(encrypted));
    }

    @Test
    void unusableKeysAreRefusedWithAClearProblem() {
        Map<String, Object> base =
                TestSupport.s3Routing("s3-pgp-bad-" + UUID.randomUUID(), "acme-print", "out", "irrelevant-secret");
        given().contentType(ContentType.JSON)
                .body(withKey(base, "not a key"))
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("pgpPublicKey"))
                .body("rule", equalTo("openpgp-public-key"))
                .body("detail", containsString("ASCII-armoured OpenPGP public key"));
        given().contentType(ContentType.JSON)
                .body(withKey(
                        base,
                        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n=AAAA\n"
                                + "-----END PGP PUBLIC KEY BLOCK-----\n"))
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("rule", equalTo("openpgp-public-key"));
        given().contentType(ContentType.JSON)
                .body(withKey(
                        base,
                        // The armour is put together here so that no committed line looks like a key; the body
                        // is base64 for "not a key".
                        "-----BEGIN " + PRIVATE_BLOCK + "-----\n\nbm90IGEga2V5\n" + "-----END " + PRIVATE_BLOCK
                                + "-----\n"))
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("rule", equalTo("openpgp-public-key"))
                .body("detail", containsString("PRIVATE key"));
    }
}
