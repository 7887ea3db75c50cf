package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailshot.events.RunRequested;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Validation against the audience's profiles (unknown paths, sparse columns) and the run's folder: rendered
 * from the campaign's or the configuration's folder template, refused when it could leave the base folder.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class CampaignChecksTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    private static String configuration(String folderTemplate) {
        String folder = folderTemplate == null ? "" : ",\"folderTemplate\":\"" + folderTemplate + "\"";
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"checks-" + UUID.randomUUID() + "\",\"routingId\":\""
                        + PeerServicesStub.ACTIVE_ROUTING + "\"" + folder + "}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A campaign whose columns are the given JSON column objects, after the postal code. */
    private static String campaign(String configuration, String extraColumns, String fileExtras) {
        String body =
                """
                {"name": "Checks %s", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                 "configurationId": "%s",
                 "file": {"nameTemplate": "{campaign.name}-{run.id}.csv", %s
                          "sort": [{"column": "Postal code"}],
                          "columns": [{"label": "Postal code", "path": "homeAddress.postalCode"}%s]}}
                """.formatted(UUID.randomUUID(), PeerServicesStub.AUDIENCE, configuration, fileExtras, extraColumns);
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private RunRequested requested(String runId) {
        return codec.decode(KafkaTestClients.read(Topics.RUNS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30))
                        .get(0))
                .data(RunRequested.class);
    }

    @Test
    void anAttributePathNoProfileHasIsAnErrorAndASparseColumnAWarning() {
        String id = campaign(configuration(null), """
                , {"label": "Tier", "path": "attributes.loyalty.tier"},
                  {"label": "Typo", "path": "attributes.loyalty.tierr"},
                  {"label": "Greeting", "expression": "upper(attributes.nickName.value)"},
                  {"label": "Name", "expression": "upper(person.name.lastName)"}""", "");
        given().post("/campaigns/{id}/validate", id)
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("errors.size()", equalTo(2))
                .body("errors.code", equalTo(List.of("unknown-attribute-path", "unknown-attribute-path")))
                .body("errors.field", equalTo(List.of("file.columns[2].path", "file.columns[3].expression")))
                .body("errors[0].message", containsString("'attributes.loyalty.tierr'"))
                .body("errors[1].message", containsString("'attributes.nickName.value'"))
                // 300 of the 1000 sampled profiles fill the tier: below 50%, a warning naming the sample.
                .body("warnings.find { it.code == 'sparse-column' }.field", equalTo("file.columns[1].path"))
                .body(
                        "warnings.find { it.code == 'sparse-column' }.message",
                        allOf(containsString("300 of 1000 sampled"), containsString("30.0%"), containsString("50%")))
                .body("warnings.findAll { it.code == 'sparse-column' }.size()", equalTo(1));
        given().post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("errors.rule", hasItem("unknown-attribute-path"))
                .body("errors.field", hasItem("file.columns[2].path"));
        given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(0));
    }

    @Test
    void aPathTheAudienceServiceCouldNotDecideIsOnlyAWarning() {
        String id = campaign(
                configuration(null),
                ", {\"label\": \"Legacy\", \"path\": \"" + PeerServicesStub.UNDECIDED_PATH + "\"}",
                "");
        given().post("/campaigns/{id}/validate", id)
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("errors.size()", equalTo(0))
                .body("warnings.code", hasItem("attribute-path-undecided"))
                .body("warnings.find { it.code == 'attribute-path-undecided' }.field", equalTo("file.columns[1].path"));
        given().post("/campaigns/{id}/activate", id).then().statusCode(202);
    }

    @Test
    void theFolderTemplateIsRenderedIntoTheRunSnapshot() {
        // The campaign's own template wins over its configuration's.
        String configuration = configuration("dm/{run.date:yyyy}");
        String own = campaign(configuration, "", "\"folderTemplate\": \"exports/{campaign.name}/{run.date:yyyyMM}\",");
        String runId = given().post("/campaigns/{id}/activate", own)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        RunRequested run = requested(runId);
        String slug = given().get("/campaigns/{id}", own)
                .then()
                .extract()
                .<String>path("name")
                .toLowerCase()
                .replaceAll("[^a-z0-9]+", "-");
        String month =
                DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC).format(run.requestedAt());
        assertEquals("exports/" + slug + "/" + month, run.spec().folder());
        given().get("/campaigns/{id}", own)
                .then()
                .body("file.folderTemplate", equalTo("exports/{campaign.name}/{run.date:yyyyMM}"));

        // Without one, the configuration's default applies.
        String inherited = campaign(configuration, "", "");
        String second = given().post("/campaigns/{id}/activate", inherited)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        RunRequested secondRun = requested(second);
        assertEquals(
                "dm/"
                        + DateTimeFormatter.ofPattern("yyyy")
                                .withZone(ZoneOffset.UTC)
                                .format(secondRun.requestedAt()),
                secondRun.spec().folder());
        given().get("/direct-mail-configurations/{id}", configuration)
                .then()
                .body("folderTemplate", equalTo("dm/{run.date:yyyy}"));

        // Neither: the routing's base folder.
        String none = campaign(configuration(null), "", "");
        String third = given().post("/campaigns/{id}/activate", none)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertNull(requested(third).spec().folder());
    }

    @Test
    void aSplitColumnMustBeAColumnAndTheSplitReachesTheRunSnapshotInBytes() {
        String configuration = configuration(null);
        String name = "Split " + UUID.randomUUID();
        Map<String, String[]> refused = new LinkedHashMap<>();
        refused.put("\"splitBy\": \"Region\",", new String[] {"file.splitBy", "column-label"});
        refused.put("\"splitBy\": \"\",", new String[] {"file.splitBy", "column-label"});
        refused.put("\"nameTemplate\": \"mail-{split}.csv\",", new String[] {"file.nameTemplate", "split-token"});
        refused.forEach((extra, problem) -> given().contentType(ContentType.JSON)
                .body("""
                        {"name": "%s", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                         "configurationId": "%s",
                         "file": {%s "columns": [{"label": "Postal code", "path": "homeAddress.postalCode"}]}}
                        """.formatted(name, PeerServicesStub.AUDIENCE, configuration, extra))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo(problem[0]))
                .body("rule", equalTo(problem[1]))
                .body(
                        "detail",
                        containsString(
                                problem[0].equals("file.splitBy") ? "not one of the file's column" : "{split}")));
        given().contentType(ContentType.JSON)
                .body("""
                        {"name": "%s", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                         "configurationId": "%s",
                         "file": {"splitMaxMb": 0, "columns": [{"label": "Postal code", "path": "homeAddress.postalCode"}]}}
                        """.formatted(name, PeerServicesStub.AUDIENCE, configuration))
                .post("/campaigns")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("file.splitMaxMb"));
        given().get("/campaigns?size=200").then().statusCode(200).body("items.name", not(hasItem(name)));

        String split = campaign(
                configuration,
                ",{\"label\": \"Town\", \"path\": \"homeAddress.city\"}",
                "\"splitBy\": \"Town\", \"splitMaxMb\": 5,");
        given().get("/campaigns/{id}", split)
                .then()
                .body("file.splitBy", equalTo("Town"))
                .body("file.splitMaxMb", equalTo(5));
        String runId = given().post("/campaigns/{id}/activate", split)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        RunRequested run = requested(runId);
        assertEquals("Town", run.spec().splitBy());
        assertEquals(5_000_000L, run.spec().splitMaxBytes(), "MB are 10^6 bytes");
    }

    @Test
    void folderTemplatesThatCouldEscapeTheBaseFolderAreRefused() {
        String configuration = configuration(null);
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("../up", "no-dot-segments");
        rules.put("exports/../../etc", "no-dot-segments");
        rules.put("exports/./x", "no-dot-segments");
        rules.put("/srv/exports", "relative");
        rules.put("C:/exports", "relative");
        rules.put("exports\\\\x", "no-backslash");
        rules.put("exports//x", "no-empty-segments");
        rules.put("exports/", "no-empty-segments");
        rules.put("exports\\u0007x", "no-control-characters");
        rules.put("my exports", "safe-characters");
        rules.put("exports/a*b", "safe-characters");
        rules.put("exports/{part}", "token");
        rules.put("exports/{nope}", "token");
        rules.put("exports/{run.date:yyyy/MM}", "token");
        rules.put(".hidden/x", "safe-segment");
        rules.put("exports/-x", "safe-segment");
        String name = "Refused " + UUID.randomUUID();
        rules.forEach((template, rule) -> {
            String body = """
                    {"name": "%s", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                     "configurationId": "%s",
                     "file": {"folderTemplate": "%s",
                              "columns": [{"label": "Postal code", "path": "homeAddress.postalCode"}]}}
                    """.formatted(name, PeerServicesStub.AUDIENCE, configuration, template);
            given().contentType(ContentType.JSON)
                    .body(body)
                    .post("/campaigns")
                    .then()
                    .statusCode(422)
                    .contentType(PROBLEM)
                    .body("field", equalTo("file.folderTemplate"))
                    .body("rule", equalTo(rule));
        });
        given().get("/campaigns?size=200").then().statusCode(200).body("items.name", not(hasItem(name)));

        given().contentType(ContentType.JSON)
                .body("{\"name\":\"f-" + UUID.randomUUID() + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"folderTemplate\":\"../../etc\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("folderTemplate"))
                .body("rule", equalTo("no-dot-segments"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"f-" + UUID.randomUUID() + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"folderTemplate\":\"" + "a/".repeat(200) + "a\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("folderTemplate"))
                .body("rule", equalTo("Size"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"f-" + UUID.randomUUID() + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"folderTemplate\":\"" + "a/".repeat(11) + "a\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("folderTemplate"))
                .body("rule", equalTo("max-depth"));
        // An update is checked the same way and changes nothing when refused.
        String kept = configuration("dm/{run.date:yyyy}");
        String current = given().get("/direct-mail-configurations/{id}", kept)
                .then()
                .extract()
                .path("name");
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + current + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"folderTemplate\":\"/abs\"}")
                .put("/direct-mail-configurations/{id}", kept)
                .then()
                .statusCode(422)
                .body("rule", equalTo("relative"));
        given().get("/direct-mail-configurations/{id}", kept)
                .then()
                .body("folderTemplate", equalTo("dm/{run.date:yyyy}"));
    }

    @Test
    void validationReportsAFolderTemplateThatCannotRender() throws Exception {
        String configuration = configuration("dm/{run.date:yyyy}");
        String id = campaign(configuration, "", "");
        given().post("/campaigns/{id}/validate", id).then().body("valid", equalTo(true));
        // A template stored under older, looser rules (written straight to the database).
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update direct_mail_configuration set folder_template = ? where id = ?")) {
            ps.setString(1, "dm/../../{run.id}");
            ps.setObject(2, UUID.fromString(configuration));
            assertEquals(1, ps.executeUpdate());
        }
        given().post("/campaigns/{id}/validate", id)
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("errors.code", hasItem("folder-template"))
                .body("errors.find { it.code == 'folder-template' }.field", equalTo("configuration.folderTemplate"));
        given().post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("errors.rule", hasItem("folder-template"));
        given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(0));
    }
}
