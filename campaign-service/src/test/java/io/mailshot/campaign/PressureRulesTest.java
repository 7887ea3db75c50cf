package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.PressureRule;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Mail-pressure rules through the public API: approvers define them, only the exemption role exempts a campaign, a
 * run's snapshot carries the global rules and its configuration's (none when exempted), and validate and simulate
 * show what each rule would stop, or a warning when the audience-service cannot tell.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class PressureRulesTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    EventCodec codec;

    private static RequestSpecification as(String user) {
        return given().header("Authorization", InfraTestResource.bearer(user));
    }

    private static String rule(String name, String scope, int max, int days, String configurationId) {
        return "{\"name\":\"" + name + "\",\"scope\":\"" + scope + "\",\"maxContacts\":" + max + ",\"days\":" + days
                + (configurationId == null ? "" : ",\"configurationId\":\"" + configurationId + "\"") + "}";
    }

    private RunSpec activateAndReadSpec(String campaign) {
        String runId = as("marketer")
                .post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        List<ConsumerRecord<String, String>> requested =
                KafkaTestClients.read(Topics.RUNS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, requested.size());
        return codec.decode(requested.get(0)).data(RunRequested.class).spec();
    }

    @Test
    void approversDefineRulesAndEveryRoleReadsThem() {
        String configuration = CampaignFlowTest.createConfiguration(
                "rules-crud-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        // Contact policy: a marketer cannot define it; the 403 names the role that can.
        as("marketer")
                .contentType(ContentType.JSON)
                .body(rule("five a month", "HOUSEHOLD", 5, 30, configuration))
                .post("/pressure-rules")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("rule", equalTo("role"))
                .body("detail", containsString("mailshot-approver"));
        as("approver")
                .contentType(ContentType.JSON)
                .body(rule("bad window", "PROFILE", 1, 0, null))
                .post("/pressure-rules")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("days"))
                .body("rule", equalTo("Min"));
        as("approver")
                .contentType(ContentType.JSON)
                .body(rule("bad scope", "STREET", 1, 7, null))
                .post("/pressure-rules")
                .then()
                .statusCode(400)
                .body("field", equalTo("scope"));
        as("approver")
                .contentType(ContentType.JSON)
                .body(rule("nowhere", "PROFILE", 1, 7, UUID.randomUUID().toString()))
                .post("/pressure-rules")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("configurationId"))
                .body("rule", equalTo("exists"));

        String id = as("approver")
                .contentType(ContentType.JSON)
                .body(rule("five a month", "HOUSEHOLD", 5, 30, configuration))
                .post("/pressure-rules")
                .then()
                .statusCode(201)
                .body("scope", equalTo("HOUSEHOLD"))
                .body("configurationId", equalTo(configuration))
                .body("createdBy.subject", equalTo(InfraTestResource.subject("approver")))
                .extract()
                .path("id");
        as("viewer")
                .get("/pressure-rules/{id}", id)
                .then()
                .statusCode(200)
                .body("maxContacts", equalTo(5))
                .body("days", equalTo(30));
        as("approver")
                .contentType(ContentType.JSON)
                .body(rule("four a month", "HOUSEHOLD", 4, 30, configuration))
                .put("/pressure-rules/{id}", id)
                .then()
                .statusCode(200)
                .body("name", equalTo("four a month"))
                .body("maxContacts", equalTo(4));
        as("viewer")
                .queryParam("size", 200)
                .get("/pressure-rules")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id));
        as("marketer").delete("/pressure-rules/{id}", id).then().statusCode(403);
        as("approver").delete("/pressure-rules/{id}", id).then().statusCode(204);
        as("viewer").get("/pressure-rules/{id}", id).then().statusCode(404);
        // Each change on the record, and the marketer's refused delete too.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath trail = as("viewer")
                    .queryParam("entity", "pressure-rule")
                    .queryParam("id", id)
                    .get("/audit")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> steps = new ArrayList<>();
            for (int i = 0; i < trail.getList("items").size(); i++) {
                steps.add(
                        trail.getString("items[" + i + "].action") + " " + trail.getString("items[" + i + "].outcome"));
            }
            assertEquals(
                    List.of(
                            "pressure-rule.create DONE",
                            "pressure-rule.delete DONE",
                            "pressure-rule.delete REFUSED",
                            "pressure-rule.update DONE"),
                    steps.stream().sorted().toList());
        });
    }

    @Test
    void runsSnapshotTheRulesThatApplyValidateCountsThemAndOnlyTheExemptionRoleExempts() {
        String configuration = as("marketer")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"pressured-" + UUID.randomUUID() + "\",\"routingId\":\""
                        + PeerServicesStub.ACTIVE_ROUTING
                        + "\",\"pricing\":{\"perPiece\":1,\"perFile\":0,\"currency\":\"EUR\"}}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String other = CampaignFlowTest.createConfiguration(
                "unpressured-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String global = as("approver")
                .contentType(ContentType.JSON)
                .body(rule("not twice a week", "PROFILE", 1, 7, null))
                .post("/pressure-rules")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try {
            String attached = as("approver")
                    .contentType(ContentType.JSON)
                    .body(rule("not again this quarter", "CAMPAIGN", 1, 90, configuration))
                    .post("/pressure-rules")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String campaign = as("marketer")
                    .contentType(ContentType.JSON)
                    .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                    .post("/campaigns")
                    .then()
                    .statusCode(201)
                    .body("pressureExemption", nullValue())
                    .extract()
                    .path("id");

            // validate asks the audience-service what each rule would stop, and the estimate counts it.
            as("marketer")
                    .post("/campaigns/{id}/validate", campaign)
                    .then()
                    .statusCode(200)
                    .body("valid", equalTo(true))
                    .body("pressure.eligible", equalTo(900))
                    .body("pressure.stopped", equalTo(100))
                    .body("pressure.rules.ruleId", hasItem(global))
                    .body("pressure.rules.ruleId", hasItem(attached))
                    .body("cost.stoppedByPressure", equalTo(100))
                    .body("cost.pieces", equalTo(900));
            String asked = PeerServicesStub.lastPressureCheck;
            assertTrue(asked.contains("\"campaignId\":\"" + campaign + "\""), asked);
            assertTrue(asked.contains("\"scope\":\"CAMPAIGN\""), asked);
            as("marketer")
                    .contentType(ContentType.JSON)
                    .body("{\"testProfiles\": [{\"namespace\": \"crmId\", \"id\": \"T1\"}]}")
                    .post("/campaigns/{id}/simulate", campaign)
                    .then()
                    .statusCode(200)
                    .body("pressure.stopped", equalTo(100))
                    .body("pressure.rules.ruleId", hasItem(attached));

            // An audience-service that cannot tell is a warning, not a failed check.
            PeerServicesStub.PRESSURE_CHECK_FAILS = true;
            try {
                as("marketer")
                        .post("/campaigns/{id}/validate", campaign)
                        .then()
                        .statusCode(200)
                        .body("valid", equalTo(true))
                        .body("warnings.code", hasItem("pressure-undecided"))
                        .body("pressure", nullValue())
                        .body("cost.stoppedByPressure", equalTo(0));
            } finally {
                PeerServicesStub.PRESSURE_CHECK_FAILS = false;
            }

            // The run's snapshot: the global rule and the configuration's, as defined now.
            RunSpec spec = activateAndReadSpec(campaign);
            assertNotNull(spec.pressureRules());
            List<UUID> ids = spec.pressureRules().stream().map(PressureRule::id).toList();
            assertTrue(ids.contains(UUID.fromString(global)), ids.toString());
            assertTrue(ids.contains(UUID.fromString(attached)), ids.toString());
            PressureRule quarter = spec.pressureRules().stream()
                    .filter(r -> r.id().equals(UUID.fromString(attached)))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    new PressureRule(UUID.fromString(attached), "not again this quarter", "CAMPAIGN", 1, 90), quarter);

            // A campaign of another configuration gets the global rule only.
            String elsewhere = as("marketer")
                    .contentType(ContentType.JSON)
                    .body(CampaignFlowTest.campaignBody(other, "SCHEDULED"))
                    .post("/campaigns")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            List<UUID> elsewhereIds = activateAndReadSpec(elsewhere).pressureRules().stream()
                    .map(PressureRule::id)
                    .toList();
            assertTrue(elsewhereIds.contains(UUID.fromString(global)), elsewhereIds.toString());
            assertTrue(!elsewhereIds.contains(UUID.fromString(attached)), elsewhereIds.toString());

            // Exemption: only the exemption role (the approver by default), with a reason, on the record.
            String exempted = as("marketer")
                    .contentType(ContentType.JSON)
                    .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                    .post("/campaigns")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            as("marketer")
                    .contentType(ContentType.JSON)
                    .body("{\"exempt\": true, \"reason\": \"recall notice\"}")
                    .put("/campaigns/{id}/pressure-exemption", exempted)
                    .then()
                    .statusCode(403)
                    .contentType(PROBLEM)
                    .body("rule", equalTo("role"))
                    .body("detail", containsString("mailshot-approver"));
            as("approver")
                    .contentType(ContentType.JSON)
                    .body("{\"exempt\": true}")
                    .put("/campaigns/{id}/pressure-exemption", exempted)
                    .then()
                    .statusCode(422)
                    .body("field", equalTo("reason"))
                    .body("rule", equalTo("required"));
            as("approver")
                    .contentType(ContentType.JSON)
                    .body("{\"exempt\": true, \"reason\": \"recall notice\"}")
                    .put("/campaigns/{id}/pressure-exemption", exempted)
                    .then()
                    .statusCode(200)
                    .body("pressureExemption.exempt", equalTo(true))
                    .body("pressureExemption.reason", equalTo("recall notice"))
                    .body("pressureExemption.by.subject", equalTo(InfraTestResource.subject("approver")));
            as("marketer")
                    .post("/campaigns/{id}/validate", exempted)
                    .then()
                    .body("pressure", nullValue())
                    .body("cost.pieces", equalTo(1000));
            RunSpec exemptSpec = activateAndReadSpec(exempted);
            assertTrue(
                    exemptSpec.pressureRules() == null
                            || exemptSpec.pressureRules().isEmpty(),
                    String.valueOf(exemptSpec.pressureRules()));
            JsonPath trail = as("viewer")
                    .queryParam("entity", "campaign")
                    .queryParam("id", exempted)
                    .get("/audit")
                    .then()
                    .extract()
                    .jsonPath();
            List<String> actions = trail.getList("items.action");
            assertTrue(actions.contains("campaign.pressure-exemption"), actions.toString());
            as("viewer")
                    .get("/campaigns/{id}", campaign)
                    .then()
                    .body("pressureExemption", nullValue())
                    .body("status", not(equalTo("DRAFT")));
        } finally {
            // A global rule reaches every campaign: leave none behind for the other tests.
            as("approver").delete("/pressure-rules/{id}", global).then().statusCode(204);
        }
    }
}
