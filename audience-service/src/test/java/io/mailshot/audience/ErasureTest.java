package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.audience.messaging.ProfileUpsertConsumer;
import io.mailshot.audience.service.erasure.ErasureService;
import io.mailshot.events.Actor;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.EventType;
import io.mailshot.events.ProfileErased;
import io.mailshot.events.RunRequested;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The right to erasure through the public API: the profile is gone, its contact history keeps only what is not
 * personal, its responses are deleted, the runs that may hold it are named and their purge requested (run ids only,
 * never the identity), every step is audited with the hash only, and the identity cannot come back by NDJSON, CSV,
 * the upsert topic or a response import; a later run does not stream it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class ErasureTest {

    @Inject
    DataSource dataSource;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void erasesAProfileForGoodAndRefusesItsReturn() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String id = "ER-" + tag;
        String kept = "KEEP-" + tag;
        Profiles.post(Profiles.line(id, "FR", "Lyon", "Martin", "y", "gold", tag, false, null) + "\n"
                        + Profiles.line(kept, "FR", "Lyon", "Durand", "y", "gold", tag, false, null) + "\n")
                .statusCode(200)
                .body("accepted", equalTo(2));
        // Two delivered runs mailed the profile; the second one also mailed another customer.
        UUID runA = UUID.randomUUID();
        UUID runB = UUID.randomUUID();
        UUID campaign = UUID.randomUUID();
        MatchBackTest.recordRun(dataSource, runA, campaign, "crmId", id, 1, 0);
        MatchBackTest.recordRun(dataSource, runB, campaign, "crmId", "other-" + tag, 1, 0);
        try (Connection c = dataSource.getConnection();
                PreparedStatement own =
                        c.prepareStatement("update contact_history set identity = ? where run_id = ?")) {
            own.setString(1, id);
            own.setObject(2, runA); // recordRun named it id + "m-1"
            own.executeUpdate();
            try (PreparedStatement more = c.prepareStatement("insert into contact_history (run_id, campaign_id,"
                    + " namespace, identity, household_key, file_name, part, cell, holdout, contacted_at)"
                    + " values (?, ?, 'crmId', ?, 'household', 'b.csv', 2, 'A', false, ?)")) {
                more.setObject(1, runB);
                more.setObject(2, campaign);
                more.setString(3, id);
                more.setTimestamp(4, java.sql.Timestamp.from(MatchBackTest.DELIVERED));
                more.executeUpdate();
            }
        }
        MatchBackTest.importResponses(
                "application/x-ndjson",
                MatchBackTest.ndjson("crmId", id, MatchBackTest.DELIVERED.plusSeconds(3600), "web", "12.00"));
        assertEquals(
                1,
                given().when()
                        .get("/runs/" + runB + "/match-back")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("mailed.responders"));

        // In PostgreSQL's uuid order: the bytes unsigned, as the text sorts (UUID.compareTo compares signed longs).
        String smallest = runA.toString().compareTo(runB.toString()) < 0 ? runA.toString() : runB.toString();
        String largest = smallest.equals(runA.toString()) ? runB.toString() : runA.toString();
        try (TopicReader erasures = new TopicReader(bootstrap, Topics.ERASURES)) {
            JsonPath done = given().queryParam("purgeExports", true)
                    .when()
                    .delete("/profiles/crmId/" + id)
                    .then()
                    .statusCode(200)
                    .body("alreadyErased", equalTo(false))
                    .body("profileDeleted", equalTo(true))
                    .body("historyRowsAnonymised", equalTo(2))
                    .body("responsesDeleted", equalTo(1))
                    .body("runIds", equalTo(List.of(smallest, largest)))
                    .body("purgeRequested", equalTo(true))
                    .extract()
                    .jsonPath();
            String erasureId = done.getString("erasureId");

            // The purge request: run ids only, never the identity.
            List<ConsumerRecord<String, String>> records = erasures.awaitKey(erasureId, r -> !r.isEmpty());
            IncomingEvent event = codec.decode(records.get(0));
            assertEquals(EventType.PROFILE_ERASED, event.type());
            ProfileErased erased = event.data(ProfileErased.class);
            assertEquals(List.of(UUID.fromString(smallest), UUID.fromString(largest)), erased.runIds());
            assertTrue(erased.purgeExports());
            assertFalse(
                    records.get(0).value().contains(id),
                    "the event names the person: " + records.get(0).value());

            // Audited, with the hash only.
            JsonPath trail = given().when()
                    .get("/audit?entity=erasure&id={id}", erasureId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals("profile.erase", trail.getString("items[0].action"));
            assertEquals("DONE", trail.getString("items[0].outcome"));
            assertEquals(64, trail.getString("items[0].details.identityHash").length());
            assertEquals(2, trail.getInt("items[0].details.historyRowsAnonymised"));
            assertFalse(trail.prettify().contains(id), "the audit names the person");
        }

        given().when().get("/profiles/crmId/" + id).then().statusCode(404);
        given().when().get("/profiles/crmId/" + kept).then().statusCode(200);
        // The history keeps its rows and every non-personal column: counts stay true.
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select count(*) filter (where identity is null"
                        + " and namespace is null and household_key is null), count(*), count(*) filter (where"
                        + " file_name = 'b.csv' and part = 2 and cell = 'A' and not holdout)"
                        + " from contact_history where run_id in (?, ?)")) {
            select.setObject(1, runA);
            select.setObject(2, runB);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertEquals(2, rs.getLong(1));
                assertEquals(3, rs.getLong(2));
                assertEquals(1, rs.getLong(3));
            }
        }
        // Erased customers still count as customers, and never respond.
        JsonPath matchBack = given().when()
                .get("/runs/" + runB + "/match-back")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(2, matchBack.getLong("mailed.customers"));
        assertEquals(0, matchBack.getLong("mailed.responders"));

        // It cannot come back: NDJSON, CSV, responses and the upsert topic are refused with the reason.
        Profiles.post(Profiles.line(id, "FR", "Lyon", "Martin", "y", "gold", tag, false, null) + "\n")
                .statusCode(200)
                .body("received", equalTo(1))
                .body("accepted", equalTo(0))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(1))
                .body("errors[0].reason", equalTo(ErasureService.REFUSED));
        given().config(Profiles.AS_WRITTEN)
                .contentType("text/csv")
                .queryParam("mapping", "{\"CRM ID\":\"identity.id\",\"Last name\":\"person.name.lastName\"}")
                .queryParam("namespace", "crmId")
                .body(("CRM ID,Last name\r\nNEW-" + tag + ",Durand\r\n" + id + ",Martin\r\n")
                        .getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/profiles/csv")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(3))
                .body("errors[0].reason", equalTo(ErasureService.REFUSED));
        JsonPath response = MatchBackTest.importResponses(
                "application/x-ndjson",
                MatchBackTest.ndjson("crmId", id, MatchBackTest.DELIVERED.plusSeconds(7200), "web", "5"));
        assertEquals(1, response.getLong("rejected"));
        assertEquals(ErasureService.REFUSED, response.getString("errors[0].reason"));
        double refusedBefore = erasedUpserts();
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap)) {
            ProducerRecord<String, String> upsert = new ProducerRecord<>(
                    Topics.PROFILE_UPSERTS,
                    "crmId:" + id,
                    Profiles.line(id, "FR", "Lyon", "Martin", "y", "gold", tag, false, null));
            upsert.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
            upsert.headers()
                    .add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            upsert.headers().add(CloudEventHeaders.SOURCE, "/crm".getBytes(StandardCharsets.UTF_8));
            upsert.headers().add(CloudEventHeaders.TYPE, ProfileUpsertConsumer.TYPE.getBytes(StandardCharsets.UTF_8));
            RecordMetadata sent = Runs.send(producer, upsert);
            Runs.awaitConsumed(bootstrap, sent);
        }
        given().when().get("/profiles/crmId/" + id).then().statusCode(404);
        assertEquals(refusedBefore + 1, erasedUpserts());

        // A later run of an audience that would match it streams the other profile only.
        UUID audience =
                Runs.audience("erasure " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));
        assertEquals(List.of(kept), streamedIds(audience));

        // Asked again: answered, nothing left to do; an identity never seen is not found.
        given().when()
                .delete("/profiles/crmId/" + id)
                .then()
                .statusCode(200)
                .body("alreadyErased", equalTo(true))
                .body("profileDeleted", equalTo(false))
                .body("runIds", equalTo(List.of()))
                .body("purgeRequested", equalTo(false));
        given().when()
                .delete("/profiles/crmId/NOBODY-" + tag)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("purgeExports", "maybe")
                .when()
                .delete("/profiles/crmId/" + kept)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("purgeExports"));
    }

    private List<String> streamedIds(UUID audienceId) throws Exception {
        RunRequested run = new RunRequested(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "Erasure",
                audienceId,
                Runs.identitySpec(null, null, null),
                Instant.now(),
                Actor.SYSTEM);
        List<String> ids = new ArrayList<>();
        Runs.profiles(Runs.resolve(bootstrap, codec, run)).forEach(p -> ids.add(p.profileId()));
        return ids;
    }

    /** The count of upserts refused because their identity was erased, as Prometheus reads it. */
    private static double erasedUpserts() {
        String series = Metrics.counterSeries(ProfileUpsertConsumer.REFUSED_METRIC);
        return given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(line -> line.startsWith(series + "{") && line.contains("reason=\"erased\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
