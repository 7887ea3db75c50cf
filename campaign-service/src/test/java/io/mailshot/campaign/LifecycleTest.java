package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.campaign.service.schedule.Scheduler;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Validation before activation, and the scheduler's exactly-once firing (approval: {@link FourEyesTest}). */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class LifecycleTest {

    @Inject
    Scheduler scheduler;

    @Inject
    DataSource dataSource;

    @Inject
    EventCodec codec;

    private static String configuration() {
        return CampaignFlowTest.createConfiguration("life-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
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
    void validationReportsErrorsAndWarningsAndBlocksActivation() {
        String body = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replace("\"homeAddress.postalCode\"", "\"attributes.loyalty.tier\"")
                .replace("\"path\": \"person.name.firstName\"", "\"expression\": \"broken(person.name.firstName\"");
        String id = create(body);
        given().post("/campaigns/{id}/validate", id)
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("errors.code", hasItem("address-column-missing"))
                .body("errors.code", hasItem("expression-invalid"))
                .body("errors.field", hasItem("file.columns[0].expression"))
                .body("warnings.code", hasItem("no-sort"));
        given().post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("file.columns"));
        given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(0));

        // A sample that holds profiles already shows the audience matches someone: no second scan for it.
        String fine = create(CampaignFlowTest.campaignBody(configuration(), "SCHEDULED"));
        int asked = PeerServicesStub.MATCHES_ANY_CALLS.get();
        given().post("/campaigns/{id}/validate", fine)
                .then()
                .statusCode(200)
                .body("errors.code", not(hasItem("audience-empty")))
                .body("warnings.code", not(hasItem("audience-size-undecided")));
        Assertions.assertEquals(asked, PeerServicesStub.MATCHES_ANY_CALLS.get());

        String empty = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replace(PeerServicesStub.AUDIENCE.toString(), PeerServicesStub.EMPTY_AUDIENCE.toString());
        given().post("/campaigns/{id}/validate", create(empty)).then().body("errors.code", hasItem("audience-empty"));

        // A store too large to tell in time: a warning, not a refusal.
        String undecided = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replace(PeerServicesStub.AUDIENCE.toString(), PeerServicesStub.UNDECIDED_AUDIENCE.toString());
        given().post("/campaigns/{id}/validate", create(undecided))
                .then()
                .body("warnings.code", hasItem("audience-size-undecided"))
                .body("errors.code", not(hasItem("audience-empty")));
    }

    @Test
    void fileDefinitionReachesTheRunSnapshot() {
        String body = """
                {"name": "Definition", "type": "SCHEDULED", "audienceId": "%s", "identityNamespace": "crmId",
                 "configurationId": "%s", "holdoutPercent": 10, "dedup": "HOUSEHOLD",
                 "constants": {"offer": "SPRING26"},
                 "file": {"nameTemplate": "mail-{run.id}-{part:03}.txt", "splitEvery": 500,
                          "columns": [{"label": "Name", "expression": "upper(person.name.lastName)"},
                                      {"label": "Postal code", "path": "homeAddress.postalCode"}],
                          "sort": [{"column": "Postal code", "direction": "DESC"}],
                          "seeds": [{"values": {"Name": "SEED", "Postal code": "00000"}}], "seedPlacement": "END",
                          "headerNotes": ["Spring mailing"],
                          "format": {"type": "DELIMITED", "delimiter": ";", "encoding": "ISO_8859_1"}}}
                """.formatted(PeerServicesStub.AUDIENCE, configuration());
        String id = create(body);
        String runId = given().post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        List<ConsumerRecord<String, String>> records =
                KafkaTestClients.read(Topics.RUNS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30));
        RunRequested run = codec.decode(records.get(0)).data(RunRequested.class);
        assertEquals("mail-" + runId + "-{part:03}.txt", run.spec().fileName());
        assertEquals(
                List.of("person.name.lastName", "homeAddress.postalCode"),
                run.spec().fields());
        assertEquals("upper(person.name.lastName)", run.spec().columns().get(0).expression());
        assertEquals("DELIMITED", run.spec().format().type());
        assertEquals(";", run.spec().format().delimiter());
        assertEquals(List.of("Spring mailing"), run.spec().format().headerNotes());
        assertEquals("DESC", run.spec().sort().get(0).direction());
        assertEquals(500, run.spec().splitEvery());
        assertEquals("END", run.spec().seedPlacement());
        assertEquals(10, run.spec().holdoutPercent());
        assertEquals("HOUSEHOLD", run.spec().dedup());
        assertEquals("SPRING26", run.spec().constants().get("offer"));
    }

    @Test
    void aDueOccurrenceFiresExactlyOnceEvenWithCompetingSchedulers() throws Exception {
        String body = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replaceFirst(
                        "\\{",
                        "{\"schedule\": {\"frequency\": \"DAILY\", \"time\": \"03:00\", \"timeZone\": \"Europe/Paris\"},");
        String id = create(body);
        given().post("/campaigns/{id}/activate", id).then().statusCode(200).body("status", equalTo("SCHEDULED"));

        // The replica was down for three days: the schedule is long overdue. Several schedulers compete
        // (the service's own loop and four more threads, each its own transaction).
        try (Connection c = dataSource.getConnection();
                PreparedStatement overdue = c.prepareStatement(
                        "update campaign_schedule set next_fire_at = now() - interval '3 days' where campaign_id = ?")) {
            overdue.setObject(1, UUID.fromString(id));
            assertEquals(1, overdue.executeUpdate());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> claims = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                claims.add(() -> scheduler.fireDue(10));
            }
            for (Future<Integer> f : pool.invokeAll(claims)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(1)));
        String nextRunAt = given().get("/campaigns/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("SCHEDULED"))
                .extract()
                .path("nextRunAt");
        assertTrue(Instant.parse(nextRunAt).isAfter(Instant.now()), "caught up once; the next occurrence is ahead");
        // Still exactly one run a little later: nothing fires twice.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> given().get("/campaigns/{id}/runs", id).then().body("total", equalTo(1)));
    }

    @Test
    void anOccurrenceThatCannotFireIsRetriedLaterWithoutHoldingBackTheOthers() throws Exception {
        String daily = "{\"schedule\": {\"frequency\": \"DAILY\", \"time\": \"03:00\", \"timeZone\": \"UTC\"},";
        String brokenConfiguration = configuration();
        String broken = create(
                CampaignFlowTest.campaignBody(brokenConfiguration, "SCHEDULED").replaceFirst("\\{", daily));
        String healthy = create(
                CampaignFlowTest.campaignBody(configuration(), "SCHEDULED").replaceFirst("\\{", daily));
        given().post("/campaigns/{id}/activate", broken).then().statusCode(200);
        given().post("/campaigns/{id}/activate", healthy).then().statusCode(200);
        // The broken campaign's configuration was edited behind the API into a folder that cannot render,
        // and its occurrence is the older one: it is claimed first.
        sql(
                "update direct_mail_configuration set folder_template = '../outside' where id = ?",
                UUID.fromString(brokenConfiguration));
        sql(
                "update campaign_schedule set next_fire_at = now() - interval '2 days' where campaign_id = ?",
                UUID.fromString(broken));
        sql(
                "update campaign_schedule set next_fire_at = now() - interval '1 day' where campaign_id = ?",
                UUID.fromString(healthy));

        scheduler.fireDue(10);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        given().get("/campaigns/{id}/runs", healthy).then().body("total", equalTo(1)));
        given().get("/campaigns/{id}/runs", broken).then().body("total", equalTo(0));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select retry_at > now(), last_error from campaign_schedule where campaign_id = ?")) {
            ps.setObject(1, UUID.fromString(broken));
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1), "the failed occurrence waits before its next try");
                assertTrue(rs.getString(2) != null && !rs.getString(2).isBlank(), "the reason is kept");
            }
        }

        // Once the cause is gone and the wait is over, the occurrence fires, once.
        sql(
                "update direct_mail_configuration set folder_template = null where id = ?",
                UUID.fromString(brokenConfiguration));
        sql(
                "update campaign_schedule set retry_at = now() - interval '1 second' where campaign_id = ?",
                UUID.fromString(broken));
        scheduler.fireDue(10);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/campaigns/{id}/runs", broken).then().body("total", equalTo(1)));
    }

    private void sql(String statement, UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setObject(1, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void badSchedulesAreRefused() {
        String noDays = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replaceFirst("\\{", "{\"schedule\": {\"frequency\": \"WEEKLY\", \"time\": \"09:00\"},");
        given().contentType(ContentType.JSON)
                .body(noDays)
                .post("/campaigns")
                .then()
                .statusCode(422)
                .body("field", equalTo("schedule.daysOfWeek"));
        String badZone = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replaceFirst(
                        "\\{",
                        "{\"schedule\": {\"frequency\": \"DAILY\", \"time\": \"09:00\", \"timeZone\": \"Mars/Olympus\"},");
        given().contentType(ContentType.JSON)
                .body(badZone)
                .post("/campaigns")
                .then()
                .statusCode(422)
                .body("field", equalTo("schedule.timeZone"))
                .body("rule", equalTo("iana-zone"));
        String badTime = CampaignFlowTest.campaignBody(configuration(), "SCHEDULED")
                .replaceFirst("\\{", "{\"schedule\": {\"frequency\": \"DAILY\", \"time\": \"25:00\"},");
        given().contentType(ContentType.JSON)
                .body(badTime)
                .post("/campaigns")
                .then()
                .statusCode(400)
                .body("field", equalTo("schedule.time"));
    }
}
