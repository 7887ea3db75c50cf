package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The file-routing API: creation, validation problems, lifecycle, and that secrets never come back out. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class FileRoutingApiTest {

    private static final String FINGERPRINT = "SHA256:xNKO1VnQbRpiNWoaPKzfRrqW3QTFEDqdSGo1cAVvRQk";

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> s3Body(String name, String secret) {
        return Map.of(
                "name",
                name,
                "type",
                "S3",
                "status",
                "ACTIVE",
                "baseFolder",
                "outbound/mailshot",
                "s3",
                Map.of(
                        "bucket",
                        "acme-print",
                        "region",
                        "us-east-1",
                        "endpoint",
                        "http://127.0.0.1:9000",
                        "pathStyle",
                        true,
                        "accessKeyId",
                        "AKIAEXAMPLE",
                        "secretAccessKey",
                        secret));
    }

    private static Map<String, Object> sftpBody(String name, Map<String, Object> sftpOverrides) {
        Map<String, Object> sftp = new HashMap<>(Map.of(
                "host",
                "127.0.0.1",
                "port",
                2222,
                "username",
                "provider",
                "password",
                TestSupport.API_SFTP_PASSWORD,
                "hostKeyFingerprint",
                FINGERPRINT));
        sftp.putAll(sftpOverrides);
        sftp.values().removeIf(v -> v == NULL);
        return Map.of("name", name, "type", "SFTP", "status", "ACTIVE", "baseFolder", "inbox", "sftp", sftp);
    }

    private static final Object NULL = new Object();

    /** The armour label of an OpenSSH private key. */
    private static final String OPENSSH_PRIVATE = "OPENSSH PRIVATE" + " KEY";

    @Test
    void createsAnS3RoutingWithoutEverReturningTheSecret() throws Exception {
        String name = unique("acme-print-s3");
        Response created = given().contentType(ContentType.JSON)
                .body(s3Body(name, TestSupport.API_S3_SECRET))
                .when()
                .post("/file-routings");
        created.then()
                .statusCode(201)
                .header("Location", containsString("/file-routings/"))
                .body("name", equalTo(name))
                .body("type", equalTo("S3"))
                .body("status", equalTo("ACTIVE"))
                .body("baseFolder", equalTo("outbound/mailshot"))
                .body("createdAt", notNullValue())
                .body("s3.bucket", equalTo("acme-print"))
                .body("s3.region", equalTo("us-east-1"))
                .body("s3.endpoint", equalTo("http://127.0.0.1:9000"))
                .body("s3.pathStyle", equalTo(true))
                .body("s3.accessKeyId", equalTo("AKIAEXAMPLE"))
                .body("s3.secretAccessKeySet", equalTo(true))
                .body("s3.secretAccessKey", nullValue())
                .body("sftp", nullValue());
        assertFalse(created.asString().contains(TestSupport.API_S3_SECRET));
        String id = created.path("id");
        created.then().header("Location", endsWith("/file-routings/" + id));

        String fetched = given().when()
                .get("/file-routings/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("s3.secretAccessKeySet", equalTo(true))
                .extract()
                .asString();
        assertFalse(fetched.contains(TestSupport.API_S3_SECRET));
        String list = given().when()
                .get("/file-routings")
                .then()
                .statusCode(200)
                .body("id", hasItem(id))
                .extract()
                .asString();
        assertFalse(list.contains(TestSupport.API_S3_SECRET));

        // At rest: the column holds only ciphertext in the documented format.
        String stored = storedSecret("s3_secret_access_key_enc", id);
        assertTrue(stored.startsWith("v1:dev:"), stored);
        assertFalse(stored.contains(TestSupport.API_S3_SECRET));
    }

    @Test
    void createsSftpRoutingsWithPasswordOrPrivateKey() throws Exception {
        Response withPassword = given().contentType(ContentType.JSON)
                .body(sftpBody(unique("acme-sftp"), Map.of()))
                .when()
                .post("/file-routings");
        withPassword
                .then()
                .statusCode(201)
                .body("type", equalTo("SFTP"))
                .body("sftp.host", equalTo("127.0.0.1"))
                .body("sftp.port", equalTo(2222))
                .body("sftp.username", equalTo("provider"))
                .body("sftp.hostKeyFingerprint", equalTo(FINGERPRINT))
                .body("sftp.passwordSet", equalTo(true))
                .body("sftp.privateKeySet", equalTo(false))
                .body("sftp.password", nullValue())
                .body("s3", nullValue());
        assertFalse(withPassword.asString().contains(TestSupport.API_SFTP_PASSWORD));
        String stored = storedSecret("sftp_password_enc", withPassword.path("id"));
        assertTrue(stored.startsWith("v1:dev:"));
        assertFalse(stored.contains(TestSupport.API_SFTP_PASSWORD));

        String pem = pkcs8Pem();
        String keyBody =
                pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        // Given as the base64 of the PEM text, which the API also accepts.
        String base64Pem = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        Response withKey = given().contentType(ContentType.JSON)
                .body(sftpBody(unique("acme-sftp-key"), Map.of("password", NULL, "privateKey", base64Pem)))
                .when()
                .post("/file-routings");
        withKey.then()
                .statusCode(201)
                .body("sftp.passwordSet", equalTo(false))
                .body("sftp.privateKeySet", equalTo(true));
        assertFalse(withKey.asString().contains(keyBody));
        assertFalse(withKey.asString().contains(base64Pem));
        String storedKey = storedSecret("sftp_private_key_enc", withKey.path("id"));
        assertFalse(storedKey.contains(keyBody));
        assertFalse(storedKey.contains(base64Pem.substring(0, 40)));
    }

    @Test
    void missingFingerprintIsRefused() {
        given().contentType(ContentType.JSON)
                .body(sftpBody(unique("no-fp"), Map.of("hostKeyFingerprint", NULL)))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("sftp.hostKeyFingerprint"))
                .body("rule", equalTo("NotBlank"));
        given().contentType(ContentType.JSON)
                .body(sftpBody(unique("bad-fp"), Map.of("hostKeyFingerprint", "MD5:ab:cd")))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(400)
                .body("field", equalTo("sftp.hostKeyFingerprint"))
                .body("rule", equalTo("Pattern"));
    }

    @Test
    void puttyKeyIsRefusedWithConversionHint() {
        String ppk =
                "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: test\nPublic-Lines: 2\nAAAA\nBBBB\n";
        given().contentType(ContentType.JSON)
                .body(sftpBody(unique("putty"), Map.of("password", NULL, "privateKey", ppk)))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("sftp.privateKey"))
                .body("rule", equalTo("openssh-key"))
                .body("detail", containsString("puttygen key.ppk -O private-openssh -o key"));
    }

    @Test
    void garbageKeyAndTwoCredentialsAreRefused() {
        given().contentType(ContentType.JSON)
                .body(sftpBody(
                        unique("garbage"),
                        Map.of(
                                "password",
                                NULL,
                                "privateKey",
                                // Armour put together here so that no committed line looks like a key.
                                "-----BEGIN " + OPENSSH_PRIVATE + "-----\nnope\n-----END " + OPENSSH_PRIVATE
                                        + "-----")))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("sftp.privateKey"))
                .body("rule", equalTo("openssh-key"));
        given().contentType(ContentType.JSON)
                .body(sftpBody(unique("both"), Map.of("privateKey", "x")))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("sftp.password"))
                .body("rule", equalTo("exactly-one-credential"));
        given().contentType(ContentType.JSON)
                .body(sftpBody(unique("neither"), Map.of("password", NULL)))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("rule", equalTo("exactly-one-credential"));
    }

    @Test
    void badNameIsRefused() {
        given().contentType(ContentType.JSON)
                .body(s3Body("1 bad name", "x"))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("name"))
                .body("rule", equalTo("Pattern"));
    }

    @Test
    void duplicateNameIsAConflict() {
        String name = unique("dup");
        given().contentType(ContentType.JSON)
                .body(s3Body(name, "x"))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(s3Body(name, "x"))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("name"))
                .body("rule", equalTo("unique"));
    }

    @Test
    void unsafeBaseFoldersAreRefused() {
        for (String folder : new String[] {"../etc", "/etc", "a\\b", "a/../../b"}) {
            Map<String, Object> body = new HashMap<>(s3Body(unique("folder"), "x"));
            body.put("baseFolder", folder);
            given().contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post("/file-routings")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("baseFolder"))
                    .body("rule", equalTo("relative-safe-path"));
        }
    }

    @Test
    void typeNeedsItsSettings() {
        Map<String, Object> body = new HashMap<>(s3Body(unique("no-s3"), "x"));
        body.remove("s3");
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("s3"))
                .body("rule", equalTo("required"));
        Map<String, Object> badBucket = new HashMap<>(s3Body(unique("bad-bucket"), "x"));
        badBucket.put("s3", Map.of("bucket", "Bad_Bucket", "accessKeyId", "a", "secretAccessKey", "b"));
        given().contentType(ContentType.JSON)
                .body(badBucket)
                .when()
                .post("/file-routings")
                .then()
                .statusCode(400)
                .body("field", equalTo("s3.bucket"))
                .body("rule", equalTo("Pattern"));
        Map<String, Object> noSecret = new HashMap<>(s3Body(unique("no-secret"), "x"));
        noSecret.put("s3", Map.of("bucket", "acme", "accessKeyId", "a"));
        given().contentType(ContentType.JSON)
                .body(noSecret)
                .when()
                .post("/file-routings")
                .then()
                .statusCode(400)
                .body("field", equalTo("s3.secretAccessKey"))
                .body("rule", equalTo("NotBlank"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "type", "FTP"))
                .when()
                .post("/file-routings")
                .then()
                .statusCode(400)
                .body("field", equalTo("type"))
                .body("rule", equalTo("enum"));
    }

    @Test
    void lifecycleDraftActiveArchived() {
        Map<String, Object> body = new HashMap<>(s3Body(unique("life"), "x"));
        body.remove("status");
        String id = given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/file-routings")
                .then()
                .statusCode(201)
                .body("status", equalTo("DRAFT"))
                .extract()
                .path("id");
        given().when()
                .post("/file-routings/" + id + "/activate")
                .then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"));
        given().when().delete("/file-routings/" + id).then().statusCode(204);
        given().when().get("/file-routings/" + id).then().statusCode(200).body("status", equalTo("ARCHIVED"));
        given().when()
                .post("/file-routings/" + id + "/activate")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("status"));
    }

    @Test
    void unknownRoutingIsA404Problem() {
        UUID id = UUID.randomUUID();
        given().when()
                .get("/file-routings/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailshot:problem:not-found"))
                .body("detail", containsString(id.toString()));
        given().when().delete("/file-routings/" + id).then().statusCode(404);
        given().when().post("/file-routings/" + id + "/activate").then().statusCode(404);
        given().when().get("/deliveries/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    private static String storedSecret(String column, String id) throws Exception {
        try (Connection c = TestSupport.jdbc();
                PreparedStatement s = c.prepareStatement("select " + column + " from file_routing where id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static String pkcs8Pem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
