package io.mailshot.extraction;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.infra.DemoSignIn;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which tokens the services trust, against the real identity provider (the test JVM's Keycloak): an expired token,
 * one of another issuer or audience, a tampered signature or payload, and an unsigned one are each a 401
 * problem+json with a Bearer challenge; a valid token without the role is a 403 naming it. The clients and the user
 * these cases need are created in this JVM's Keycloak through its admin API; the realm file stays as it is.
 * The rules are the kit's and quarkus-oidc's, the same in every service: tested once, here.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class TokenValidationTest {

    private static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A read any role may make: with a trusted token, a random run is a 404. */
    private static ValidatableResponse read(String authorization) {
        return given().header("Authorization", authorization)
                .get("/extractions/{runId}", UUID.randomUUID())
                .then();
    }

    private static void assertUnauthenticated(String authorization) {
        read(authorization)
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void aTokenWithATamperedSignatureIsRefused() {
        String token = InfraTestResource.token("viewer");
        read("Bearer " + token).statusCode(404);
        String[] parts = token.split("\\.");
        char[] signature = parts[2].toCharArray();
        int middle = signature.length / 2;
        signature[middle] = signature[middle] == 'A' ? 'B' : 'A';
        assertUnauthenticated("Bearer " + parts[0] + "." + parts[1] + "." + new String(signature));
    }

    @Test
    void aTokenWhosePayloadWasChangedUnderItsSignatureIsRefused() throws Exception {
        String token = InfraTestResource.token("viewer");
        String[] parts = token.split("\\.");
        ObjectNode claims = (ObjectNode) DemoSignIn.claims(token);
        ((ArrayNode) claims.get("realm_access").get("roles")).add("mailshot-marketer");
        String forged = parts[0] + "." + B64.encodeToString(JSON.writeValueAsBytes(claims)) + "." + parts[2];
        // The marketer's endpoint: a forged role must not open it (401, not 403 and not 200).
        given().header("Authorization", "Bearer " + forged)
                .contentType(ContentType.JSON)
                .body("{\"expressions\": [\"'a'\"]}")
                .post("/expressions/check")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"));
        assertUnauthenticated("Bearer " + forged);
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        String token = InfraTestResource.token("admin");
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertUnauthenticated("Bearer " + header + "." + token.split("\\.")[1] + ".");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        KeycloakServer keycloak = InfraTestResource.keycloak();
        String master = keycloak.adminToken();
        assertTrue(DemoSignIn.claims(master).path("iss").asText().endsWith("/realms/master"));
        assertUnauthenticated("Bearer " + master);
    }

    @Test
    void aTokenOfTheRealmForAnotherAudienceIsRefused() throws Exception {
        KeycloakServer keycloak = InfraTestResource.keycloak();
        String client = createClient(keycloak, "no-audience-" + UUID.randomUUID(), false, null);
        String token = passwordGrant(keycloak, client, "viewer", keycloak.demoPassword());
        JsonNode claims = DemoSignIn.claims(token);
        // Same realm, same signing key, a user with a role: only the audience is wrong.
        assertEquals(keycloak.issuer(), claims.path("iss").asText());
        assertFalse(claims.path("aud").toString().contains(KeycloakServer.AUDIENCE), claims.toString());
        assertUnauthenticated("Bearer " + token);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        KeycloakServer keycloak = InfraTestResource.keycloak();
        String client = createClient(keycloak, "short-lived-" + UUID.randomUUID(), true, 5);
        String token = passwordGrant(keycloak, client, "viewer", keycloak.demoPassword());
        long expires = DemoSignIn.claims(token).path("exp").asLong();
        int fresh = read("Bearer " + token).extract().statusCode();
        // While it is valid the token opens the read (a slow machine may already be past its 5 s: then no claim).
        if (Instant.now().getEpochSecond() < expires - 1) {
            assertEquals(404, fresh, "a fresh token of the short-lived client was refused");
        }
        // quarkus.oidc.token.lifespan-grace is not set: no clock skew is allowed past exp.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().getEpochSecond() > expires + 1);
        assertUnauthenticated("Bearer " + token);
    }

    @Test
    void aSignedInUserWithoutAMailshotRoleIsForbidden() throws Exception {
        KeycloakServer keycloak = InfraTestResource.keycloak();
        String user = "no-role-" + UUID.randomUUID().toString().substring(0, 8);
        String password = KeycloakServer.randomSecret();
        admin(
                keycloak,
                "POST",
                "/users",
                JSON.createObjectNode()
                        .put("username", user)
                        .put("enabled", true)
                        .put("emailVerified", true)
                        .put("firstName", "No")
                        .put("lastName", "Role")
                        .put("email", user + "@mailshot.local")
                        .set(
                                "credentials",
                                JSON.createArrayNode()
                                        .add(JSON.createObjectNode()
                                                .put("type", "password")
                                                .put("value", password)
                                                .put("temporary", false))));
        String token = passwordGrant(keycloak, KeycloakServer.CLI_CLIENT, user, password);
        assertTrue(DemoSignIn.claims(token).path("aud").toString().contains(KeycloakServer.AUDIENCE));
        read("Bearer " + token)
                .statusCode(403)
                .contentType(PROBLEM)
                .body("status", equalTo(403))
                .body("detail", containsString("mailshot-viewer"))
                .body("field", equalTo("role"));
    }

    @Test
    void aSignedInUserWithoutTheRoleIsForbiddenAndToldWhichRoleOpensIt() {
        given().header("Authorization", InfraTestResource.bearer("viewer"))
                .contentType(ContentType.JSON)
                .body("{\"expressions\": [\"'a'\"]}")
                .post("/expressions/check")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("status", equalTo(403))
                .body("rule", equalTo("role"))
                .body("detail", containsString("mailshot-marketer"));
        given().header("Authorization", InfraTestResource.bearer("marketer"))
                .contentType(ContentType.JSON)
                .body("{\"expressions\": [\"'a'\"]}")
                .post("/expressions/check")
                .then()
                .statusCode(200);
    }

    /**
     * Creates a public client of the realm with the password grant: with the {@code mailshot-api} audience or
     * without, with its own access token lifespan in seconds or the realm's. Returns its client id.
     */
    private static String createClient(KeycloakServer keycloak, String clientId, boolean audience, Integer lifespan)
            throws Exception {
        ObjectNode client = JSON.createObjectNode()
                .put("clientId", clientId)
                .put("publicClient", true)
                .put("directAccessGrantsEnabled", true)
                .put("standardFlowEnabled", false);
        if (lifespan != null) {
            client.putObject("attributes").put("access.token.lifespan", lifespan.toString());
        }
        if (audience) {
            client.putArray("protocolMappers")
                    .addObject()
                    .put("name", "mailshot-api audience")
                    .put("protocol", "openid-connect")
                    .put("protocolMapper", "oidc-audience-mapper")
                    .putObject("config")
                    .put("included.custom.audience", KeycloakServer.AUDIENCE)
                    .put("access.token.claim", "true")
                    .put("id.token.claim", "false");
        }
        admin(keycloak, "POST", "/clients", client);
        return clientId;
    }

    private static String passwordGrant(KeycloakServer keycloak, String clientId, String user, String password) {
        return keycloak.tokenRequest(
                        Map.of("grant_type", "password", "client_id", clientId, "username", user, "password", password))
                .path("access_token")
                .asText();
    }

    /** A call of the realm's admin REST API as the bootstrap administrator; fails unless it is a 2xx. */
    private static void admin(KeycloakServer keycloak, String method, String path, JsonNode body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + keycloak.port() + "/admin/realms/" + KeycloakServer.REALM + path);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + keycloak.adminToken())
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(
                response.statusCode() / 100 == 2,
                method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
}
