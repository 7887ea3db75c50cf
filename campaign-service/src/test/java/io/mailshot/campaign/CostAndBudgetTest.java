package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.AudienceResolutionStarted;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionStarted;
import io.mailshot.events.StagedFile;
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
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Cost and budget through the public API: prices kept exactly as typed and refused when broken, the estimate that
 * {@code validate} shows, an over-budget campaign that cannot be activated, and the run report's new exclusion
 * reasons, actual cost (at the prices of its request) and cost per response.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class CostAndBudgetTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    EventCodec codec;

    private static RequestSpecification as(String user) {
        return given().header("Authorization", InfraTestResource.bearer(user));
    }

    private static String configurationBody(String name, String pricing) {
        return "{\"name\":\"" + name + "\",\"routingId\":\"" + PeerServicesStub.ACTIVE_ROUTING + "\""
                + (pricing == null ? "" : ",\"pricing\":" + pricing) + "}";
    }

    private static String pricedConfiguration(String pricing) {
        return as("marketer")
                .contentType(ContentType.JSON)
                .body(configurationBody("priced-" + UUID.randomUUID(), pricing))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The flow test's campaign, with a budget (null: none) and the file split every {@code splitEvery} rows. */
    static String campaignBody(String configuration, String budget, Integer splitEvery) {
        String body = CampaignFlowTest.campaignBody(configuration, "SCHEDULED");
        if (splitEvery != null) {
            body = body.replace("\"file\": {", "\"file\": {\"splitEvery\": " + splitEvery + ", ");
        }
        return budget == null ? body : body.replaceFirst("\\{", "{\"budget\": " + budget + ", ");
    }

    private static String campaign(String configuration, String budget) {
        return as("marketer")
                .contentType(ContentType.JSON)
                .body(campaignBody(configuration, budget, null))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void pricesAreKeptExactlyAsTypedAndBrokenOnesAreRefusedNamingTheField() {
        String created = as("marketer")
                .contentType(ContentType.JSON)
                .body(configurationBody(
                        "exact-" + UUID.randomUUID(), "{\"perPiece\":0.4500,\"perFile\":25,\"currency\":\"EUR\"}"))
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .asString();
        // The JSON text itself: a client parsing into doubles could not tell 0.45 from 0.4500.
        assertTrue(created.contains("\"pricing\":{\"perPiece\":0.4500,\"perFile\":25,\"currency\":\"EUR\"}"), created);
        String id = JsonPath.from(created).getString("id");
        String read = as("viewer")
                .get("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(read.contains("\"pricing\":{\"perPiece\":0.4500,\"perFile\":25,\"currency\":\"EUR\"}"), read);

        record Refusal(String pricing, int status, String field, String rule) {}
        for (Refusal r : List.of(
                new Refusal(
                        "{\"perPiece\":0.45,\"perFile\":25,\"currency\":\"ABC\"}", 422, "pricing.currency", "currency"),
                new Refusal(
                        "{\"perPiece\":0.45,\"perFile\":25,\"currency\":\"eur\"}", 422, "pricing.currency", "currency"),
                new Refusal("{\"perPiece\":-0.01,\"perFile\":25,\"currency\":\"EUR\"}", 422, "pricing.perPiece", "min"),
                new Refusal(
                        "{\"perPiece\":0.12345,\"perFile\":25,\"currency\":\"EUR\"}",
                        422,
                        "pricing.perPiece",
                        "decimals"),
                new Refusal("{\"perPiece\":0.45,\"perFile\":25}", 400, "pricing.currency", "NotNull"))) {
            as("marketer")
                    .contentType(ContentType.JSON)
                    .body(configurationBody("refused-" + UUID.randomUUID(), r.pricing()))
                    .post("/direct-mail-configurations")
                    .then()
                    .statusCode(r.status())
                    .contentType(PROBLEM)
                    .body("field", equalTo(r.field()))
                    .body("rule", equalTo(r.rule()));
        }
        // Changing the prices is refused the same way, and leaves the stored ones as they were.
        as("marketer")
                .contentType(ContentType.JSON)
                .body(configurationBody(
                        "exact-edit-" + UUID.randomUUID(),
                        "{\"perPiece\":1.00001,\"perFile\":0," + "\"currency\":\"EUR\"}"))
                .put("/direct-mail-configurations/{id}", id)
                .then()
                .statusCode(422)
                .body("field", equalTo("pricing.perPiece"))
                .body("rule", equalTo("decimals"));
        assertTrue(as("viewer")
                .get("/direct-mail-configurations/{id}", id)
                .asString()
                .contains("\"perPiece\":0.4500"));
    }

    @Test
    void validateShowsTheEstimateAndAnOverBudgetCampaignCannotBeActivated() {
        // 1000 profiles (the stub's estimate) × 0.5 + 1 file × 10 = 510.0 EUR.
        String configuration = pricedConfiguration("{\"perPiece\":0.5,\"perFile\":10,\"currency\":\"EUR\"}");

        // A budget in another currency than the prices cannot be compared: refused when saved.
        as("marketer")
                .contentType(ContentType.JSON)
                .body(campaignBody(configuration, "{\"amount\":600,\"currency\":\"USD\"}", null))
                .post("/campaigns")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo("budget.currency"))
                .body("rule", equalTo("pricing-currency"));

        String over = campaign(configuration, "{\"amount\":500.00,\"currency\":\"EUR\"}");
        as("marketer")
                .post("/campaigns/{id}/validate", over)
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("errors.code", hasItem("budget-exceeded"))
                .body("cost.audience", equalTo(1000))
                .body("cost.pieces", equalTo(1000))
                .body("cost.files", equalTo(1))
                .body("cost.estimatedCost", equalTo(510.0f))
                .body("cost.currency", equalTo("EUR"))
                .body("cost.budget.amount", equalTo(500.0f))
                .body("cost.withinBudget", equalTo(false));
        as("marketer")
                .post("/campaigns/{id}/activate", over)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:mailshot:problem:budget-exceeded"))
                .body("rule", equalTo("budget"))
                .body("field", equalTo("budget"))
                .body("errors.field", equalTo(List.of("budget", "estimatedCost")))
                .body("errors[0].message", containsString("500.00 EUR"))
                .body("errors[1].message", containsString("510.0 EUR"))
                .body("detail", containsString("exceeds the campaign's budget of 500.00 EUR"));
        as("viewer").get("/campaigns/{id}/runs", over).then().body("total", equalTo(0));
        // Refused like any other 422 of a change: on the record.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath trail = as("viewer")
                    .queryParam("entity", "campaign")
                    .queryParam("id", over)
                    .get("/audit")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals("campaign.activate", trail.getString("items[-1].action"));
            assertEquals("REFUSED", trail.getString("items[-1].outcome"));
            assertEquals("budget", trail.getString("items[-1].details.rule"));
        });

        // Split every 300 rows: 4 files, 1000 × 0.5 + 4 × 10 = 540.0, within 540.
        String within = as("marketer")
                .contentType(ContentType.JSON)
                .body(campaignBody(configuration, "{\"amount\":540,\"currency\":\"EUR\"}", 300))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .body("budget.amount", equalTo(540))
                .extract()
                .path("id");
        as("marketer")
                .post("/campaigns/{id}/validate", within)
                .then()
                .body("valid", equalTo(true))
                .body("cost.files", equalTo(4))
                .body("cost.estimatedCost", equalTo(540.0f))
                .body("cost.withinBudget", equalTo(true));
        as("marketer").post("/campaigns/{id}/activate", within).then().statusCode(202);

        // Without pricing there is no estimate, and nothing else changes.
        String unpriced =
                CampaignFlowTest.createConfiguration("unpriced-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        as("marketer")
                .post("/campaigns/{id}/validate", campaign(unpriced, null))
                .then()
                .body("valid", equalTo(true))
                .body("cost", nullValue());
    }

    @Test
    void theRunReportShowsReturnedAndPressureAndTheCostAtThePricesOfItsRequest() {
        String configuration = pricedConfiguration("{\"perPiece\":0.5,\"perFile\":10,\"currency\":\"EUR\"}");
        String campaign = campaign(configuration, null);
        String runId = as("marketer")
                .post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(202)
                .body("cost", nullValue())
                .extract()
                .path("id");
        UUID run = UUID.fromString(runId);
        // A later price change does not rewrite what this run costs.
        as("marketer")
                .contentType(ContentType.JSON)
                .body(configurationBody(
                        "repriced-" + UUID.randomUUID(), "{\"perPiece\":0.9,\"perFile\":99,\"currency\":\"EUR\"}"))
                .put("/direct-mail-configurations/{id}", configuration)
                .then()
                .statusCode(200);

        UUID attempt = UUID.randomUUID();
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            send(producer, Topics.AUDIENCE_EVENTS, runId, new AudienceResolutionStarted(run, attempt));
            send(
                    producer,
                    Topics.AUDIENCE_EVENTS,
                    runId,
                    new AudienceResolved(run, attempt, 120, 95, new ExclusionCounts(1, 2, 0, 0, 4, 7, 11)));
            send(producer, Topics.EXTRACTION_EVENTS, runId, new ExtractionStarted(run, attempt));
            send(
                    producer,
                    Topics.EXTRACTION_EVENTS,
                    runId,
                    new ExtractionCompleted(
                            run,
                            UUID.fromString(campaign),
                            PeerServicesStub.ACTIVE_ROUTING,
                            95,
                            List.of(
                                    new StagedFile(
                                            "a_001.csv",
                                            "mailshot-staging",
                                            "runs/" + runId + "/1",
                                            50,
                                            900,
                                            "ab".repeat(32)),
                                    new StagedFile(
                                            "a_002.csv",
                                            "mailshot-staging",
                                            "runs/" + runId + "/2",
                                            45,
                                            800,
                                            "cd".repeat(32))),
                            null,
                            2,
                            0,
                            null));
            send(
                    producer,
                    Topics.DELIVERY_EVENTS,
                    runId,
                    new DeliverySucceeded(
                            run,
                            PeerServicesStub.ACTIVE_ROUTING,
                            "s3://acme/out",
                            List.of(
                                    new DeliveredFile("a_001.csv", "s3://acme/out/a_001.csv", 900, "ab".repeat(32)),
                                    new DeliveredFile("a_002.csv", "s3://acme/out/a_002.csv", 800, "cd".repeat(32)))));
            producer.flush();
        }
        // (95 rows + 2 seed rows) × 0.5 + 2 files × 10 = 68.5 EUR, at the prices of the request.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("viewer")
                        .get("/runs/{id}", runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("DELIVERED"))
                        .body("counts.excluded.noConsent", equalTo(1))
                        .body("counts.excluded.holdout", equalTo(4))
                        .body("counts.excluded.returned", equalTo(7))
                        .body("counts.excluded.pressure", equalTo(11))
                        .body("cost.pieces", equalTo(97))
                        .body("cost.files", equalTo(2))
                        .body("cost.perPiece", equalTo(0.5f))
                        .body("cost.amount", equalTo(68.5f))
                        .body("cost.currency", equalTo("EUR")));
        as("viewer")
                .get("/campaigns/{id}/runs", campaign)
                .then()
                .body("items[0].counts.excluded.returned", equalTo(7))
                .body("items[0].counts.excluded.pressure", equalTo(11))
                .body("items[0].cost.amount", equalTo(68.5f));

        // Match-back: 50 mailed responders, a lift of 0.04 on 1000 mailed customers = 40 incremental responses.
        as("viewer")
                .queryParam("windowDays", 45)
                .get("/runs/{id}/match-back", runId)
                .then()
                .statusCode(200)
                .body("windowDays", equalTo(45))
                .body("mailed.responders", equalTo(50))
                .body("lift.absolute", equalTo(0.04f))
                .body("cost.amount", equalTo(68.5f))
                .body("costPerResponse", equalTo(1.37f))
                .body("costPerIncrementalResponse", equalTo(1.7125f))
                .body("currency", equalTo("EUR"));
        as("viewer")
                .queryParam("windowDays", 0)
                .get("/runs/{id}/match-back", runId)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("windowDays"))
                .body("rule", equalTo("Min"));
        PeerServicesStub.MATCH_BACK_FAILS = true;
        try {
            as("viewer")
                    .get("/runs/{id}/match-back", runId)
                    .then()
                    .statusCode(503)
                    .contentType(PROBLEM)
                    .body("type", equalTo("urn:mailshot:problem:dependency-unavailable"));
        } finally {
            PeerServicesStub.MATCH_BACK_FAILS = false;
        }
    }

    private void send(KafkaProducer<String, String> producer, String topic, String key, Record data) {
        producer.send(codec.encode(topic, key, "/test", data));
    }
}
