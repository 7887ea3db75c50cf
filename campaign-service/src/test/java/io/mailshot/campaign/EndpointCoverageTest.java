package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
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
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The endpoints the other tests do not reach: reject, stop, archive (campaigns and configurations), paging,
 * simulate, and malformed campaign bodies — each with its refusals.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class EndpointCoverageTest {

    private static final String PROBLEM = "application/problem+json";

    private static String configuration() {
        return CampaignFlowTest.createConfiguration("cover-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
    }

    private static String create(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void stopEndsTheScheduleAndArchiveRetiresTheCampaign() {
        String body = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replaceFirst(
                        "\\{",
                        "{\"schedule\": {\"frequency\": \"WEEKLY\", \"time\": \"08:30\", \"daysOfWeek\": [\"MONDAY\"],"
                                + " \"timeZone\": \"America/New_York\"},");
        String id = create(body);
        given().post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("SCHEDULED"))
                .body("nextRunAt", notNullValue());
        given().post("/campaigns/{id}/stop", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("STOPPED"))
                .body("nextRunAt", nullValue());
        given().post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("field", equalTo("status"))
                .body("rule", equalTo("activatable"));
        given().delete("/campaigns/{id}", id).then().statusCode(200).body("status", equalTo("ARCHIVED"));
        given().get("/campaigns/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("ARCHIVED"))
                .body("nextRunAt", nullValue());
        given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(0));
        given().post("/campaigns/{id}/stop", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().delete("/campaigns/{id}", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void anArchivedConfigurationCanNeitherBeUsedNorChanged() {
        String name = "archive-" + UUID.randomUUID();
        String id = CampaignFlowTest.createConfiguration(name, PeerServicesStub.ACTIVE_ROUTING);
        String other = configuration();
        String otherName = given().get("/direct-mail-configurations/{id}", other)
                .then()
                .extract()
                .path("name");
        // Renaming onto another configuration's name is refused.
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + otherName + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING + "\"}")
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("field", equalTo("name"))
                .body("rule", equalTo("unique"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.DRAFT_ROUTING + "\"}")
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(422)
                .body("field", equalTo("routingId"))
                .body("rule", equalTo("active"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\""
                        + PeerServicesStub.ACTIVE_ROUTING + "\",\"timestampFileNames\":true,"
                        + "\"format\":{\"type\":\"DELIMITED\",\"delimiter\":\"|\"}}")
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(200)
                .body("timestampFileNames", equalTo(true))
                .body("format.delimiter", equalTo("|"));

        given().delete("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("ARCHIVED"));
        given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(id, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("configurationId"))
                .body("rule", equalTo("active"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING + "\"}")
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(409)
                .body("rule", equalTo("not-archived"));
        given().delete("/direct-mail-configurations/{id}", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void listsArePagedWithinBounds() {
        String configuration = configuration();
        create(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"));
        create(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"));
        given().get("/campaigns?page=0&size=1")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("size", equalTo(1))
                .body("total", greaterThanOrEqualTo(2));
        given().get("/campaigns?page=1&size=1")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("page", equalTo(1));
        given().get("/direct-mail-configurations?page=0&size=1")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("total", greaterThanOrEqualTo(1));
        // Bad paging is a 400 naming the parameter and the rule (JAX-RS alone would answer a bare 404).
        String[][] bad = {
            {"size=0", "size", "Min"},
            {"size=201", "size", "Max"},
            {"page=-1", "page", "Min"},
            {"size=ten", "size", "type"},
            {"page=1.5", "page", "type"},
            // Past the last page: page * size no longer fits the database's offset (was a 500).
            {"page=10737419&size=200", "page", "Max"},
            {"page=99999999999999999999", "page", "Max"},
            {"page=%00", "page", "text"}
        };
        for (String[] b : bad) {
            for (String list :
                    List.of("/campaigns", "/direct-mail-configurations", "/campaigns/" + UUID.randomUUID() + "/runs")) {
                given().urlEncodingEnabled(false)
                        .get(list + "?" + b[0])
                        .then()
                        .statusCode(400)
                        .contentType(PROBLEM)
                        .body("field", equalTo(b[1]))
                        .body("rule", equalTo(b[2]));
            }
        }
        given().get("/campaigns/{id}/runs", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void simulateProjectsTestAndInlineProfilesThroughTheRenderer() {
        String body = """
                {"name": "Simulated", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                 "configurationId": "%s",
                 "file": {"nameTemplate": "preview-{run.date:yyyy}.csv",
                          "columns": [{"label": "Name", "expression": "upper(person.name.lastName)"},
                                      {"label": "Postal code", "path": "homeAddress.postalCode"}]}}
                """.formatted(PeerServicesStub.AUDIENCE, configuration());
        String id = create(body);
        String year = String.valueOf(Year.now(ZoneOffset.UTC).getValue());
        given().contentType(ContentType.JSON)
                .body("""
                {"testProfiles": [{"namespace": "crmId", "id": "T1"}],
                 "profiles": [{"identity": {"namespace": "crmId", "id": "S1"},
                               "person": {"name": {"lastName": "Sample"}}}]}""")
                .post("/campaigns/{id}/simulate", id)
                .then()
                .statusCode(200)
                .body("fileName", equalTo("preview-" + year + ".csv"))
                .body("fields", equalTo(List.of("person.name.lastName", "homeAddress.postalCode")))
                // Inline profiles first, then the stored test profiles; a missing value travels as null.
                .body("lines", equalTo(List.of("Sample|", "Proof|75001")));
        given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(0));

        given().contentType(ContentType.JSON)
                .body("{\"testProfiles\": [{\"namespace\": \"crmId\", \"id\": \"nobody\"}]}")
                .post("/campaigns/{id}/simulate", id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("testProfiles[0]"))
                .body("rule", equalTo("exists"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/campaigns/{id}/simulate", id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("profiles"))
                .body("rule", equalTo("not-empty"));
        given().contentType(ContentType.JSON)
                .body("{\"profiles\": [{}], \"limit\": 101}")
                .post("/campaigns/{id}/simulate", id)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("limit"));
        given().contentType(ContentType.JSON)
                .body("{\"profiles\": \"everyone\"}")
                .post("/campaigns/{id}/simulate", id)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("profiles"));
        given().contentType(ContentType.JSON)
                .body("{\"profiles\": [{}]}")
                .post("/campaigns/{id}/simulate", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void malformedCampaignBodiesAreClientErrorsAndPersistNothing() throws Exception {
        String configuration = configuration();
        String name = "Malformed " + UUID.randomUUID();
        String valid = CampaignFlowTest.campaignBody(configuration, "SCHEDULED").replace("Spring mailing", name);
        String[][] cases = {
            {valid.replaceFirst("\\{", "{\"holdoutPercent\": \"ten\","), "holdoutPercent", "type"},
            {valid.replaceFirst("\\{", "{\"holdoutPercent\": 51,"), "holdoutPercent", "Max"},
            {valid.replaceFirst("\\{", "{\"dedup\": \"SOMETIMES\","), "dedup", "enum"},
            {valid.replaceFirst("\\{", "{\"schedule\": {\"frequency\": \"HOURLY\"},"), "schedule.frequency", "enum"},
            {valid.replace("\"Catalogue\"", "\"" + "d".repeat(2001) + "\""), "description", "Size"},
            {valid.replace("\"crmId\"", "\"crm id!\""), "identityNamespace", "Pattern"},
            {
                valid.replace("\"audienceId\": \"" + PeerServicesStub.AUDIENCE + "\"", "\"audienceId\": 42"),
                "audienceId",
                "type"
            },
            {valid.replace("\"label\": \"First name\"", "\"label\": [\"First\"]"), "file.columns[0].label", "type"},
            {valid.replaceFirst("\\{", "{\"constants\": {\"bad key\": \"x\"},"), "constants", "Pattern"},
        };
        for (String[] c : cases) {
            var response = given().contentType(ContentType.JSON)
                    .body(c[0])
                    .post("/campaigns")
                    .then();
            response.statusCode(400).contentType(PROBLEM).body("rule", equalTo(c[2]));
            String field = response.extract().path("field");
            assertTrue(field != null && field.startsWith(c[1]), c[1] + " expected, got " + field);
        }
        // A 10 MB body is refused from its headers, before it is read.
        String status = oversized("/campaigns", 10 * 1024 * 1024);
        assertTrue(status.startsWith("HTTP/1.1 413"), status);
        given().get("/campaigns?size=200").then().statusCode(200).body("items.name", not(hasItem(name)));
    }

    private static String oversized(String path, int length) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\n\r\n{\"name\":\"";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
