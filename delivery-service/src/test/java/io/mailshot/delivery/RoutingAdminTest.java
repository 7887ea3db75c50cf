package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Routing administration: update with kept secrets, the connection test, and the SFTP host-key helper. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class RoutingAdminTest {

    private static S3Client s3;

    @BeforeAll
    static void clients() {
        s3 = TestSupport.s3();
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath test(UUID id) {
        return given().post("/file-routings/" + id + "/test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String sftpRoot() {
        return TestSupport.config("mailshot.test.sftp.root");
    }

    @Test
    void updateKeepsSecretsUnlessANewValueIsSent() {
        String bucket = unique("acme-update");
        s3.createBucket(b -> b.bucket(bucket));
        String name = unique("s3-update");
        UUID id = TestSupport.createRouting(
                TestSupport.s3Routing(name, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));

        // No secret sent: the stored one is kept, so the connection test still authenticates.
        Map<String, Object> s3Settings = new HashMap<>(Map.of(
                "bucket",
                bucket,
                "region",
                "us-east-1",
                "endpoint",
                TestSupport.config("mailshot.test.s3.endpoint"),
                "pathStyle",
                true,
                "accessKeyId",
                TestSupport.config("mailshot.staging.access-key-id")));
        String renamed = unique("s3-renamed");
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("name", renamed, "type", "S3", "baseFolder", "moved/here", "s3", s3Settings))
                .put("/file-routings/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo(renamed))
                .body("baseFolder", equalTo("moved/here"))
                .body("status", equalTo("ACTIVE"))
                .body("s3.secretAccessKeySet", equalTo(true))
                .extract()
                .asString();
        assertFalse(body.contains(TestSupport.config("mailshot.staging.secret-access-key")));
        given().get("/file-routings/" + id).then().body("name", equalTo(renamed));
        assertTrue(test(id).getBoolean("ok"), "the kept secret still works");

        // A new secret replaces it (here a wrong one, which the connection test then reports).
        s3Settings.put("secretAccessKey", TestSupport.WRONG_S3_SECRET);
        String updated = given().contentType(ContentType.JSON)
                .body(Map.of("name", renamed, "type", "S3", "baseFolder", "moved/here", "s3", s3Settings))
                .put("/file-routings/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(updated.contains(TestSupport.WRONG_S3_SECRET));
        JsonPath refused = test(id);
        assertFalse(refused.getBoolean("ok"));
        assertEquals(
                List.of("connect:done", "login:failed", "write:not-reached", "delete:not-reached"),
                TestSupport.statuses(refused));
        assertTrue(refused.getBoolean("steps[0].ok"));
        assertFalse(refused.getBoolean("steps[1].ok"));
        assertTrue(refused.getString("steps[1].message").contains("access to bucket " + bucket + " refused"));

        // Type cannot change, names stay unique, unknown and archived routings are refused.
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        renamed,
                        "type",
                        "SFTP",
                        "sftp",
                        Map.of(
                                "host",
                                "h",
                                "port",
                                22,
                                "username",
                                "u",
                                "hostKeyFingerprint",
                                "SHA256:" + "A".repeat(43))))
                .put("/file-routings/" + id)
                .then()
                .statusCode(422)
                .body("field", equalTo("type"))
                .body("rule", equalTo("immutable"));
        String other = unique("s3-other");
        TestSupport.createRouting(TestSupport.s3Routing(other, bucket, "x", "s"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", other, "type", "S3", "s3", s3Settings))
                .put("/file-routings/" + id)
                .then()
                .statusCode(409)
                .body("rule", equalTo("unique"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", other, "type", "S3", "s3", s3Settings))
                .put("/file-routings/" + UUID.randomUUID())
                .then()
                .statusCode(404);
        given().delete("/file-routings/" + id).then().statusCode(204);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", renamed, "type", "S3", "s3", s3Settings))
                .put("/file-routings/" + id)
                .then()
                .statusCode(409)
                .body("rule", equalTo("not-archived"));
    }

    @Test
    void updateSwitchesSftpCredentialsAndKeepsThemOtherwise() {
        String name = unique("sftp-update");
        UUID id = TestSupport.createRouting(TestSupport.sftpRouting(
                name,
                "inbox/upd",
                TestSupport.WRONG_SFTP_PASSWORD,
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        assertEquals("login", test(id).getString("steps.find { !it.ok }.step"));

        Map<String, Object> sftp = new HashMap<>(Map.of(
                "host",
                TestSupport.config("mailshot.test.sftp.host"),
                "port",
                Integer.parseInt(TestSupport.config("mailshot.test.sftp.port")),
                "username",
                TestSupport.config("mailshot.test.sftp.user"),
                "password",
                TestSupport.config("mailshot.test.sftp.password"),
                "hostKeyFingerprint",
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "SFTP", "baseFolder", "inbox/upd", "sftp", sftp))
                .put("/file-routings/" + id)
                .then()
                .statusCode(200)
                .body("sftp.passwordSet", equalTo(true))
                .body("sftp.privateKeySet", equalTo(false))
                .body("sftp.password", nullValue());
        assertTrue(test(id).getBoolean("ok"));

        sftp.remove("password");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "SFTP", "baseFolder", "inbox/upd2", "sftp", sftp))
                .put("/file-routings/" + id)
                .then()
                .statusCode(200)
                .body("sftp.passwordSet", equalTo(true))
                .body("baseFolder", equalTo("inbox/upd2"));
        JsonPath ok = test(id);
        assertTrue(ok.getBoolean("ok"), ok.prettify());
        assertEquals(
                List.of(
                        "connect:done",
                        "key-exchange:done",
                        "host-key:done",
                        "login:done",
                        "write:done",
                        "delete:done"),
                TestSupport.statuses(ok));
        try (Stream<Path> listing = Files.list(Path.of(sftpRoot(), "inbox", "upd2"))) {
            assertEquals(0, listing.count(), "the probe file was removed");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void connectionTestSaysWhatFailedInPlainWords() throws Exception {
        String fingerprint = TestSupport.config("mailshot.test.sftp.fingerprint");
        // Host key mismatch: refused at connect, nothing sent.
        UUID mismatch = TestSupport.createRouting(TestSupport.sftpRouting(
                unique("t-mismatch"),
                "inbox/t",
                TestSupport.config("mailshot.test.sftp.password"),
                "SHA256:" + "B".repeat(43)));
        JsonPath m = test(mismatch);
        assertFalse(m.getBoolean("ok"));
        assertEquals(
                List.of(
                        "connect:done",
                        "key-exchange:done",
                        "host-key:failed",
                        "login:not-reached",
                        "write:not-reached",
                        "delete:not-reached"),
                TestSupport.statuses(m));
        assertTrue(
                m.getString("steps[2].message")
                        .startsWith("host key mismatch: expected SHA256:" + "B".repeat(43) + ", got " + fingerprint),
                m.getString("steps[2].message"));

        // Wrong password: connected, authentication refused.
        UUID denied = TestSupport.createRouting(
                TestSupport.sftpRouting(unique("t-denied"), "inbox/t", TestSupport.WRONG_SFTP_PASSWORD, fingerprint));
        JsonPath d = test(denied);
        assertEquals(
                List.of(
                        "connect:done",
                        "key-exchange:done",
                        "host-key:done",
                        "login:failed",
                        "write:not-reached",
                        "delete:not-reached"),
                TestSupport.statuses(d));
        assertTrue(d.getString("steps[3].message").startsWith("authentication refused for user"));
        assertFalse(d.prettify().contains(TestSupport.WRONG_SFTP_PASSWORD));

        // The base folder is a file on the server: writing is refused (root ignores POSIX modes, so this is
        // the reliable way to make the server refuse a write in these tests).
        String blocked = "blocked-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(Path.of(sftpRoot(), blocked), "I am a file");
        UUID file = TestSupport.createRouting(TestSupport.sftpRouting(
                unique("t-file"), blocked + "/inbox", TestSupport.config("mailshot.test.sftp.password"), fingerprint));
        JsonPath f = test(file);
        assertEquals(
                List.of(
                        "connect:done",
                        "key-exchange:done",
                        "host-key:done",
                        "login:done",
                        "write:failed",
                        "delete:not-reached"),
                TestSupport.statuses(f));
        assertFalse(f.getBoolean("steps[4].ok"));
        assertTrue(
                f.getString("steps[4].message").contains(blocked + " is a file, not a folder"),
                f.getString("steps[4].message"));

        // Missing bucket.
        String bucket = unique("missing-bucket");
        UUID missing = TestSupport.createRouting(TestSupport.s3Routing(
                unique("t-nobucket"), bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
        JsonPath b = test(missing);
        assertEquals("bucket " + bucket + " does not exist", b.getString("steps[1].message"));

        // Nothing listening: a plain "cannot connect".
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> body = new HashMap<>(TestSupport.sftpRouting(
                unique("t-closed"), "inbox/t", TestSupport.config("mailshot.test.sftp.password"), fingerprint));
        body.put(
                "sftp",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        closed,
                        "username",
                        "provider",
                        "password",
                        "x",
                        "hostKeyFingerprint",
                        fingerprint));
        JsonPath c = test(TestSupport.createRouting(body));
        assertEquals(
                List.of(
                        "connect:failed",
                        "key-exchange:not-reached",
                        "host-key:not-reached",
                        "login:not-reached",
                        "write:not-reached",
                        "delete:not-reached"),
                TestSupport.statuses(c));
        assertTrue(c.getString("steps[0].message").startsWith("cannot connect to 127.0.0.1:" + closed));

        given().post("/file-routings/" + UUID.randomUUID() + "/test").then().statusCode(404);
    }

    @Test
    void hostKeyHelperShowsTheFingerprintThatOpenSshSees() throws Exception {
        String host = TestSupport.config("mailshot.test.sftp.host");
        int port = Integer.parseInt(TestSupport.config("mailshot.test.sftp.port"));
        JsonPath shown = given().contentType(ContentType.JSON)
                .body(Map.of("host", host, "port", port))
                .post("/file-routings/sftp-host-key")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(TestSupport.config("mailshot.test.sftp.fingerprint"), shown.getString("fingerprint"));

        // Independently: OpenSSH's ssh-keyscan and ssh-keygen -l print the same fingerprint and key type.
        Process scan = new ProcessBuilder(
                        "sh",
                        "-c",
                        "ssh-keyscan -p " + port + " -t " + shown.getString("keyType") + " " + host
                                + " 2>/dev/null | ssh-keygen -lf -")
                .redirectErrorStream(true)
                .start();
        String line = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(scan.waitFor(60, TimeUnit.SECONDS));
        assertTrue(line.contains(shown.getString("fingerprint").replaceAll("=+$", "")), line);

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("host", "127.0.0.1", "port", closed))
                .post("/file-routings/sftp-host-key")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("host"))
                .body("rule", equalTo("reachable"))
                .body("detail", containsString("cannot connect to 127.0.0.1:" + closed));
        given().contentType(ContentType.JSON)
                .body(Map.of("host", "bad host!", "port", 22))
                .post("/file-routings/sftp-host-key")
                .then()
                .statusCode(400)
                .body("field", equalTo("host"));
    }
}
