package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The connection test reports a step as done only when it happened, against real servers started here or by the
 * test infrastructure: an SFTP routing pointed at a web server gets no "host key matches", a closed port gets no
 * "connected". And every host form a routing accepts can be tested (IPv6 literals through a forwarder listening on
 * the IPv6 loopback); the forms it refuses are refused when saved, with 422 naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class ConnectionTruthTest {

    private static final List<String> SFTP_ALL_DONE =
            List.of("connect:done", "key-exchange:done", "host-key:done", "login:done", "write:done", "delete:done");

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String fingerprint() {
        return TestSupport.config("mailshot.test.sftp.fingerprint");
    }

    private static Map<String, Object> sftp(String host, int port, String password, String fingerprint) {
        return Map.of(
                "name",
                unique("truth-sftp"),
                "type",
                "SFTP",
                "status",
                "ACTIVE",
                "baseFolder",
                "inbox/truth",
                "sftp",
                Map.of(
                        "host",
                        host,
                        "port",
                        port,
                        "username",
                        TestSupport.config("mailshot.test.sftp.user"),
                        "password",
                        password,
                        "hostKeyFingerprint",
                        fingerprint));
    }

    private static Map<String, Object> s3(String endpoint, String bucket, String secret) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "bucket",
                bucket,
                "region",
                "us-east-1",
                "pathStyle",
                true,
                "accessKeyId",
                TestSupport.config("mailshot.staging.access-key-id"),
                "secretAccessKey",
                secret));
        settings.put("endpoint", endpoint);
        return Map.of(
                "name", unique("truth-s3"), "type", "S3", "status", "ACTIVE", "baseFolder", "out", "s3", settings);
    }

    private static int sftpPort() {
        return Integer.parseInt(TestSupport.config("mailshot.test.sftp.port"));
    }

    @Test
    void sftpAgainstAWebServerReportsNoKeyExchangeAndNoHostKey() throws Exception {
        HttpServer web = TestSupport.webServer();
        try {
            int port = web.getAddress().getPort();
            JsonPath result = TestSupport.connectionTest(TestSupport.createRouting(
                    sftp("127.0.0.1", port, TestSupport.config("mailshot.test.sftp.password"), fingerprint())));
            assertFalse(result.getBoolean("ok"));
            assertEquals(
                    List.of(
                            "connect:done",
                            "key-exchange:failed",
                            "host-key:not-reached",
                            "login:not-reached",
                            "write:not-reached",
                            "delete:not-reached"),
                    TestSupport.statuses(result));
            assertEquals("opened a TCP connection to 127.0.0.1:" + port, result.getString("steps[0].message"));
            assertTrue(
                    result.getString("steps[1].message").startsWith("no SSH server answered at 127.0.0.1:" + port),
                    result.getString("steps[1].message"));
            assertFalse(result.prettify().contains("matches"), result.prettify());
            assertEquals("not reached: the test stopped at key-exchange", result.getString("steps[2].message"));
        } finally {
            web.stop(0);
        }
    }

    @Test
    void sftpStepsStopWhereTheyFail() throws Exception {
        String password = TestSupport.config("mailshot.test.sftp.password");
        int closed = TestSupport.closedPort();
        JsonPath refused = TestSupport.connectionTest(
                TestSupport.createRouting(sftp("127.0.0.1", closed, password, fingerprint())));
        assertEquals(
                List.of(
                        "connect:failed",
                        "key-exchange:not-reached",
                        "host-key:not-reached",
                        "login:not-reached",
                        "write:not-reached",
                        "delete:not-reached"),
                TestSupport.statuses(refused));
        assertTrue(refused.getString("steps[0].message").startsWith("cannot connect to 127.0.0.1:" + closed));

        String pinned = "SHA256:" + "C".repeat(43);
        JsonPath mismatch =
                TestSupport.connectionTest(TestSupport.createRouting(sftp("127.0.0.1", sftpPort(), password, pinned)));
        assertEquals(
                List.of(
                        "connect:done",
                        "key-exchange:done",
                        "host-key:failed",
                        "login:not-reached",
                        "write:not-reached",
                        "delete:not-reached"),
                TestSupport.statuses(mismatch));
        assertTrue(
                mismatch.getString("steps[1].message").contains("host key, " + fingerprint()),
                mismatch.getString("steps[1].message"));
        assertEquals(
                "host key mismatch: expected " + pinned + ", got " + fingerprint()
                        + " (refused: nothing was sent to this server)",
                mismatch.getString("steps[2].message"));

        JsonPath denied = TestSupport.connectionTest(TestSupport.createRouting(
                sftp("127.0.0.1", sftpPort(), TestSupport.WRONG_SFTP_PASSWORD, fingerprint())));
        assertEquals(
                List.of(
                        "connect:done",
                        "key-exchange:done",
                        "host-key:done",
                        "login:failed",
                        "write:not-reached",
                        "delete:not-reached"),
                TestSupport.statuses(denied));
        assertTrue(denied.getString("steps[3].message").startsWith("authentication refused for user"));
        assertFalse(denied.prettify().contains(TestSupport.WRONG_SFTP_PASSWORD));

        JsonPath ok = TestSupport.connectionTest(
                TestSupport.createRouting(sftp("127.0.0.1", sftpPort(), password, fingerprint())));
        assertTrue(ok.getBoolean("ok"), ok.prettify());
        assertEquals(SFTP_ALL_DONE, TestSupport.statuses(ok));
        assertEquals("the host key matches the pinned fingerprint " + fingerprint(), ok.getString("steps[2].message"));
    }

    @Test
    void everyAcceptedSftpHostFormIsSavedAsOneAndTested() throws Exception {
        String password = TestSupport.config("mailshot.test.sftp.password");
        try (RecordingTcpProxy ipv6 = new RecordingTcpProxy(InetAddress.getByName("::1"), sftpPort())) {
            for (String host : List.of("[::1]", "::1", "[0:0:0:0:0:0:0:1]")) {
                UUID id = TestSupport.createRouting(sftp(host, ipv6.port(), password, fingerprint()));
                given().get("/file-routings/" + id).then().body("sftp.host", equalTo(host.replaceAll("[\\[\\]]", "")));
                JsonPath result = TestSupport.connectionTest(id);
                assertEquals(SFTP_ALL_DONE, TestSupport.statuses(result), host + ": " + result.prettify());
                assertTrue(
                        result.getString("steps[0].message")
                                .endsWith("[" + host.replaceAll("[\\[\\]]", "") + "]:" + ipv6.port()),
                        result.getString("steps[0].message"));
            }
        }
        UUID byName = TestSupport.createRouting(sftp("localhost", sftpPort(), password, fingerprint()));
        assertTrue(TestSupport.connectionTest(byName).getBoolean("ok"));

        // Nothing listens on the IPv6 loopback at the SFTP server's port: a plain connect failure, no 5xx.
        JsonPath nothing = TestSupport.connectionTest(
                TestSupport.createRouting(sftp("[::1]", sftpPort(), password, fingerprint())));
        assertEquals("connect:failed", TestSupport.statuses(nothing).get(0));
        assertTrue(nothing.getString("steps[0].message").startsWith("cannot connect to [::1]:" + sftpPort()));

        // The host-key helper takes the same forms.
        try (RecordingTcpProxy ipv6 = new RecordingTcpProxy(InetAddress.getByName("::1"), sftpPort())) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("host", "[::1]", "port", ipv6.port()))
                    .post("/file-routings/sftp-host-key")
                    .then()
                    .statusCode(200)
                    .body("host", equalTo("::1"))
                    .body("fingerprint", equalTo(fingerprint()));
        }
    }

    @Test
    void hostFormsThatCannotBeUsedAreRefusedWhenSaved() {
        String password = TestSupport.config("mailshot.test.sftp.password");
        for (String host : List.of(
                "[::1",
                "::1]",
                "[example.com]",
                "::g",
                "1.2.3",
                "256.1.1.1",
                "010.0.0.1",
                "host:22",
                "-bad.example.com",
                "bad-.example.com",
                "a..b",
                "example.com.",
                "x".repeat(64) + ".example.com")) {
            given().contentType(ContentType.JSON)
                    .body(sftp(host, 22, password, fingerprint()))
                    .post("/file-routings")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("sftp.host"))
                    .body("rule", equalTo("host"));
        }
        // Characters no host form has (a zone id's %, a space) stay a 400 of the field's pattern.
        for (String host : List.of("fe80::1%eth0", "bad host!")) {
            given().contentType(ContentType.JSON)
                    .body(sftp(host, 22, password, fingerprint()))
                    .post("/file-routings")
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("sftp.host"));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("host", "[::1", "port", 22))
                .post("/file-routings/sftp-host-key")
                .then()
                .statusCode(422)
                .body("field", equalTo("host"));

        String secret = TestSupport.config("mailshot.staging.secret-access-key");
        for (String endpoint : List.of(
                "ftp://s3.example.com",
                "http://user:pw@s3.example.com",
                "http://s3.example.com?x=1",
                "http://s3.example.com#top",
                "http://s3.example.com:0",
                "http://s3.example.com:99999",
                "http://[::1",
                "http://[fe80::1%25eth0]:9000",
                "http://exa_mple.com",
                "http://s3.example.com/some/prefix",
                "not a url")) {
            given().contentType(ContentType.JSON)
                    .body(s3(endpoint, "acme-bucket", secret))
                    .post("/file-routings")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("s3.endpoint"))
                    .body("rule", equalTo("http-url"));
        }
        Map<String, Object> virtualHosted = new HashMap<>(s3("http://[::1]:9000", "acme-bucket", secret));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = new HashMap<>((Map<String, Object>) virtualHosted.get("s3"));
        settings.put("pathStyle", false);
        virtualHosted.put("s3", settings);
        given().contentType(ContentType.JSON)
                .body(virtualHosted)
                .post("/file-routings")
                .then()
                .statusCode(422)
                .body("field", equalTo("s3.pathStyle"))
                .body("rule", equalTo("path-style-for-ip"));
    }

    @Test
    void s3StepsStopWhereTheyFailAndAnIpv6EndpointWorks() throws Exception {
        String secret = TestSupport.config("mailshot.staging.secret-access-key");
        String bucket = unique("truth");
        try (S3Client client = TestSupport.s3()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        List<String> loginFailed = List.of("connect:done", "login:failed", "write:not-reached", "delete:not-reached");
        List<String> connectFailed =
                List.of("connect:failed", "login:not-reached", "write:not-reached", "delete:not-reached");

        int closed = TestSupport.closedPort();
        JsonPath refused =
                TestSupport.connectionTest(TestSupport.createRouting(s3("http://127.0.0.1:" + closed, bucket, secret)));
        assertEquals(connectFailed, TestSupport.statuses(refused));
        assertTrue(refused.getString("steps[0].message").startsWith("cannot reach http://127.0.0.1:" + closed));

        // A name that resolves nowhere cannot be checked against the egress policy, so it is not saved.
        given().contentType(ContentType.JSON)
                .body(s3("http://no-such-host.invalid:9000", bucket, secret))
                .post("/file-routings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("s3.endpoint"))
                .body("rule", equalTo("resolvable"));

        HttpServer web = TestSupport.webServer();
        try {
            String endpoint = "http://127.0.0.1:" + web.getAddress().getPort();
            JsonPath notS3 = TestSupport.connectionTest(TestSupport.createRouting(s3(endpoint, bucket, secret)));
            assertEquals(loginFailed, TestSupport.statuses(notS3));
            assertEquals("reached " + endpoint + " (it answered HTTP 404)", notS3.getString("steps[0].message"));
            assertTrue(
                    notS3.getString("steps[1].message").contains("did not answer like an S3 server"),
                    notS3.getString("steps[1].message"));
        } finally {
            web.stop(0);
        }

        String endpoint = TestSupport.config("mailshot.test.s3.endpoint");
        JsonPath denied = TestSupport.connectionTest(
                TestSupport.createRouting(s3(endpoint, bucket, TestSupport.WRONG_S3_SECRET)));
        assertEquals(loginFailed, TestSupport.statuses(denied));
        assertTrue(denied.getString("steps[1].message").startsWith("access to bucket " + bucket + " refused"));
        assertFalse(
                denied.getString("steps[1].message").contains("did not answer like"),
                "s3proxy answers like S3: " + denied.getString("steps[1].message"));

        JsonPath ok = TestSupport.connectionTest(TestSupport.createRouting(s3(endpoint, bucket, secret)));
        assertEquals(List.of("connect:done", "login:done", "write:done", "delete:done"), TestSupport.statuses(ok));
        assertTrue(ok.getString("steps[2].message").endsWith("read back identical)"));

        int s3Port = URI.create(endpoint).getPort();
        try (RecordingTcpProxy ipv6 = new RecordingTcpProxy(InetAddress.getByName("::1"), s3Port)) {
            JsonPath viaIpv6 = TestSupport.connectionTest(
                    TestSupport.createRouting(s3("http://[::1]:" + ipv6.port(), bucket, secret)));
            assertEquals(
                    List.of("connect:done", "login:done", "write:done", "delete:done"),
                    TestSupport.statuses(viaIpv6),
                    viaIpv6.prettify());
            assertTrue(ipv6.sent().contains("Host: [::1]:" + ipv6.port()), "the requests went over IPv6");
        }
    }
}
