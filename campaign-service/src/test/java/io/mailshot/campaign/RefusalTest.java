package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Bad input gets a problem+json that names the field and the rule, never a 500, and persists nothing. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class RefusalTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void nonScheduledCampaignIsRefused() {
        String configuration =
                CampaignFlowTest.createConfiguration("api-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "API_TRIGGERED"))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("type"))
                .body("rule", equalTo("scheduled-only"))
                .body("detail", containsString("SCHEDULED"));
    }

    @Test
    void unknownAudienceIsRefused() {
        String configuration =
                CampaignFlowTest.createConfiguration("aud-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String body = CampaignFlowTest.campaignBody(configuration, "SCHEDULED")
                .replace(PeerServicesStub.AUDIENCE.toString(), UUID.randomUUID().toString());
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("audienceId"))
                .body("rule", equalTo("exists"));
    }

    @Test
    void unknownOrDraftRoutingIsRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"r-" + UUID.randomUUID() + "\",\"routingId\":\"" + UUID.randomUUID() + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("routingId"))
                .body("rule", equalTo("exists"));
        String name = "d-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.DRAFT_ROUTING + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("routingId"))
                .body("rule", equalTo("active"));
        // Nothing was persisted by the refusals.
        given().get("/direct-mail-configurations?size=200")
                .then()
                .statusCode(200)
                .body("items.name", not(Matchers.hasItem(name)));
    }

    @Test
    void unknownConfigurationIsRefused() {
        given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(UUID.randomUUID().toString(), "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("configurationId"));
    }

    @Test
    void malformedBodiesAreClientErrors() throws Exception {
        // A number is not a name (it was taken as "12"): the first wrong member is named.
        given().contentType(ContentType.JSON)
                .body("{\"name\": 12, \"routingId\": \"not-a-uuid\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("name"))
                .body("rule", equalTo("type"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"ok\", \"routingId\": \"not-a-uuid\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("routingId"))
                .body("rule", equalTo("type"));
        // NUL and lone surrogates are refused, never stored as they are or altered (were a 500 and a "?").
        given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(UUID.randomUUID().toString(), "SCHEDULED")
                        .replace("Spring mailing", "Spring\\u0000mailing"))
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("name"))
                .body("rule", equalTo("text"));
        given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(UUID.randomUUID().toString(), "SCHEDULED")
                        .replace("Catalogue", "Cata\\uD800logue"))
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("description"))
                .body("rule", equalTo("text"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"ok\", \"routingId\": \"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\", \"colour\": \"red\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("colour"))
                .body("rule", equalTo("known-field"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"1bad name\", \"routingId\": \"" + PeerServicesStub.ACTIVE_ROUTING + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("name"))
                .body("rule", equalTo("Pattern"));
        given().contentType(ContentType.JSON)
                .body("{")
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        String unknownEnum = CampaignFlowTest.campaignBody(UUID.randomUUID().toString(), "SOMETIMES");
        given().contentType(ContentType.JSON)
                .body(unknownEnum)
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("type"))
                .body("rule", equalTo("enum"));
        String longName = "x".repeat(5000);
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + longName + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("name"))
                .body("rule", equalTo("Size"));
        assertTrue(statusOfOversizedPost("/direct-mail-configurations", 10 * 1024 * 1024)
                .startsWith("HTTP/1.1 413"));
    }

    /**
     * Announces a 10 MB JSON body and reads the status line. The server answers from the headers alone,
     * so the test does not depend on how a client reacts to a connection closed mid-upload.
     */
    private static String statusOfOversizedPost(String path, int length) throws Exception {
        int port = RestAssured.port;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\n\r\n{\"name\":\"";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void fileNameThatEscapesItsFolderIsRefused() {
        String configuration =
                CampaignFlowTest.createConfiguration("esc-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        for (String template :
                new String[] {"../../etc/passwd", "out/{run.id}.csv", "a\\u0007b.csv", "{nope}.csv", ".hidden"}) {
            String body = CampaignFlowTest.campaignBody(configuration, "SCHEDULED")
                    .replace("{campaign.name}-{run.id}.csv", template);
            given().contentType(ContentType.JSON)
                    .body(body)
                    .post("/campaigns")
                    .then()
                    .statusCode(422)
                    .contentType(PROBLEM)
                    .body("field", equalTo("file.nameTemplate"));
        }
    }

    @Test
    void tooManyColumnsAreRefused() {
        String configuration =
                CampaignFlowTest.createConfiguration("cols-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            columns.append(i == 0 ? "" : ",").append("{\"label\":\"c").append(i).append("\",\"path\":\"a.b\"}");
        }
        String body = CampaignFlowTest.campaignBody(configuration, "SCHEDULED")
                .replaceFirst("(?s)\"columns\": \\[.*]}}", "\"columns\": [" + columns + "]}}");
        given().contentType(ContentType.JSON)
                .body(body.replace("\n", " "))
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("file.columns"))
                .body("rule", equalTo("Size"));
    }

    @Test
    void unknownResourcesAre404Problems() {
        given().get("/runs/{id}", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
        given().get("/campaigns/{id}", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
        given().post("/campaigns/{id}/activate", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void serviceDocumentsItself() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/campaigns"));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
