package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.mailshot.infra.AzuriteServer;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The issue's refused destinations, at save and at the host-key helper, under the default egress policy (the test
 * profile's loopback allowance removed): a 422 problem naming the field, the rule and the class, nothing stored.
 */
@QuarkusTest
@TestProfile(EgressGuardApiTest.DefaultPolicy.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class EgressGuardApiTest {

    /** The production defaults: nothing allowed beyond them. */
    public static class DefaultPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailshot.egress.allow", "");
        }
    }

    private static final String FINGERPRINT = "SHA256:" + "A".repeat(43);

    private static Map<String, Object> s3(String name, String endpoint) {
        return Map.of(
                "name",
                name,
                "type",
                "S3",
                "status",
                "DRAFT",
                "s3",
                Map.of(
                        "bucket",
                        "egress-bucket",
                        "endpoint",
                        endpoint,
                        "pathStyle",
                        true,
                        "accessKeyId",
                        "egress",
                        "secretAccessKey",
                        "egress-test-secret-Pq81"));
    }

    private static Map<String, Object> sftp(String name, String host) {
        return Map.of(
                "name",
                name,
                "type",
                "SFTP",
                "status",
                "DRAFT",
                "sftp",
                Map.of(
                        "host",
                        host,
                        "port",
                        22,
                        "username",
                        "egress",
                        "password",
                        "egress-test-password-Lk22",
                        "hostKeyFingerprint",
                        FINGERPRINT));
    }

    private static void refused(Map<String, Object> body, String field, String rule, String detail) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/file-routings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("rule", equalTo(rule))
                .body("detail", containsString(detail))
                .body("detail", not(containsString("egress-test-")));
        given().get("/file-routings").then().statusCode(200).body("name", not(Matchers.hasItem(body.get("name"))));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theIssuesDestinationsAreRefusedAtSave() {
        refused(s3(unique("metadata"), "http://169.254.169.254/"), "s3.endpoint", "egress", "cloud metadata address");
        refused(s3(unique("ipv6-loopback"), "http://[::1]:8081"), "s3.endpoint", "egress", "loopback");
        refused(
                sftp(unique("localhost"), "localhost"),
                "sftp.host",
                "egress",
                "localhost is refused: it resolves to a loopback address");
        refused(sftp(unique("unspecified"), "0.0.0.0"), "sftp.host", "egress", "unspecified address");
        // Other spellings of the same addresses: the resolved bytes are checked, not the text.
        refused(sftp(unique("mapped"), "::ffff:127.0.0.1"), "sftp.host", "egress", "loopback");
        refused(sftp(unique("mapped-hex"), "[::ffff:7f00:1]"), "sftp.host", "egress", "loopback");
        refused(sftp(unique("unspecified6"), "::"), "sftp.host", "egress", "unspecified address");
        refused(sftp(unique("link-local"), "fe80::1"), "sftp.host", "egress", "link-local");
        refused(sftp(unique("imds6"), "fd00:ec2::254"), "sftp.host", "egress", "cloud metadata address");
        refused(s3(unique("alibaba"), "http://100.100.100.200"), "s3.endpoint", "egress", "cloud metadata address");
        // Decimal, short and octal forms never reach the resolver: they are no host form a routing accepts.
        for (String host : List.of("2130706433", "127.1", "0177.0.0.1")) {
            given().contentType(ContentType.JSON)
                    .body(sftp(unique("encoded"), host))
                    .post("/file-routings")
                    .then()
                    .statusCode(422)
                    .body("field", equalTo("sftp.host"))
                    .body("rule", equalTo("host"));
        }
        refused(sftp(unique("unknown"), "no-such-host.invalid"), "sftp.host", "resolvable", "does not resolve");

        Map<String, Object> azure = new HashMap<>(Map.of(
                "name",
                unique("azure-loopback"),
                "type",
                "AZURE_BLOB",
                "status",
                "DRAFT",
                "azureBlob",
                Map.of(
                        "container",
                        "egress",
                        "connectionString",
                        "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                                + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:10000/"
                                + AzuriteServer.ACCOUNT + ";")));
        given().contentType(ContentType.JSON)
                .body(azure)
                .post("/file-routings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("azureBlob.connectionString"))
                .body("rule", equalTo("egress"))
                .body("detail", containsString("loopback"))
                .body("detail", not(containsString(AzuriteServer.ACCOUNT_KEY)));
    }

    @Test
    void theHostKeyHelperScansNoRefusedDestination() {
        for (String host : List.of("localhost", "127.0.0.1", "[::1]", "169.254.169.254", "0.0.0.0")) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("host", host, "port", 22))
                    .post("/file-routings/sftp-host-key")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("host"))
                    .body("rule", equalTo("egress"));
        }
    }

    @Test
    void aPublicOrPrivateAddressIsSaved() {
        // Allowed by default; nothing listens there, and saving never connects.
        given().contentType(ContentType.JSON)
                .body(sftp(unique("private"), "10.255.0.9"))
                .post("/file-routings")
                .then()
                .statusCode(201)
                .body("sftp.host", equalTo("10.255.0.9"));
        given().contentType(ContentType.JSON)
                .body(s3(unique("public"), "http://203.0.113.9:9000"))
                .post("/file-routings")
                .then()
                .statusCode(201);
    }
}
