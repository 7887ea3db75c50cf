package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mailshot.events.AudienceResolutionStarted;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliveryAttempted;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionStarted;
import io.mailshot.events.RunRequested;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The marketer's path: configuration, campaign, activation, and a run projected from stage events. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class CampaignFlowTest {

    @Inject
    EventCodec codec;

    static String createConfiguration(String name, UUID routing) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"routingId\":\"" + routing + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static String campaignBody(String configurationId, String type) {
        return """
                {"name": "Spring mailing", "description": "Catalogue", "type": "%s",
                 "audienceId": "%s", "identityNamespace": "crmId", "configurationId": "%s",
                 "file": {"nameTemplate": "{campaign.name}-{run.id}.csv",
                          "columns": [{"label": "First name", "path": "person.name.firstName"},
                                      {"label": "Postal code", "path": "homeAddress.postalCode"}]}}
                """.formatted(type, PeerServicesStub.AUDIENCE, configurationId);
    }

    @Test
    void activationPublishesRunRequestedAndStageEventsDriveTheRun() {
        String configuration = createConfiguration("flow-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String campaign = given().contentType(ContentType.JSON)
                .body(campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .body("status", equalTo("DRAFT"))
                .extract()
                .path("id");

        String runId = given().post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(202)
                .header("Location", containsString("/runs/"))
                .body("status", equalTo("REQUESTED"))
                .extract()
                .path("id");
        UUID run = UUID.fromString(runId);

        // The outbox relay put exactly the snapshot on the runs topic.
        List<ConsumerRecord<String, String>> requested =
                KafkaTestClients.read(Topics.RUNS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, requested.size());
        IncomingEvent event = codec.decode(requested.get(0));
        RunRequested data = event.data(RunRequested.class);
        assertEquals(run, data.runId());
        assertEquals(PeerServicesStub.ACTIVE_ROUTING, data.spec().routingId());
        assertEquals("spring-mailing-" + runId + ".csv", data.spec().fileName());
        assertEquals("homeAddress.postalCode", data.spec().columns().get(1).path());

        // A second activation while the run is in progress is refused.
        given().post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("status"));

        UUID attempt = UUID.randomUUID();
        UUID routing = PeerServicesStub.ACTIVE_ROUTING;
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            send(producer, Topics.AUDIENCE_EVENTS, runId, new AudienceResolutionStarted(run, attempt));
            send(
                    producer,
                    Topics.AUDIENCE_EVENTS,
                    runId,
                    new AudienceResolved(run, attempt, 100, 95, new ExclusionCounts(5, 0, 0, 0, 0)));
            send(producer, Topics.EXTRACTION_EVENTS, runId, new ExtractionStarted(run, attempt));
            send(
                    producer,
                    Topics.EXTRACTION_EVENTS,
                    runId,
                    new ExtractionCompleted(
                            run,
                            UUID.fromString(campaign),
                            routing,
                            95,
                            List.of(new StagedFile(
                                    data.spec().fileName(),
                                    "mailshot-staging",
                                    "runs/" + runId + "/f.csv",
                                    95,
                                    4096,
                                    "ab".repeat(32)))));
            send(
                    producer,
                    Topics.DELIVERY_EVENTS,
                    runId,
                    new DeliveryAttempted(run, routing, 1, "s3://acme/out", true, null));
            ProducerRecord<String, String> succeeded = codec.encode(
                    Topics.DELIVERY_EVENTS,
                    runId,
                    "/test",
                    new DeliverySucceeded(
                            run,
                            routing,
                            "s3://acme/out",
                            List.of(new DeliveredFile("f.csv", "s3://acme/out/f.csv", 4096, "ab".repeat(32)))));
            producer.send(succeeded);
            // The same event again (same ce_id): it must not be applied twice.
            producer.send(succeeded);
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/runs/{id}", runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("DELIVERED"))
                        .body("counts.targeted", equalTo(100))
                        .body("counts.excluded.noConsent", equalTo(5))
                        .body("counts.exported", equalTo(95))
                        .body("counts.delivered", equalTo(95))
                        .body("file.sha256", equalTo("ab".repeat(32)))
                        .body("files.size()", equalTo(1))
                        .body("files[0].name", equalTo(data.spec().fileName()))
                        .body("files[0].rows", equalTo(95))
                        .body("stages.resolving", Matchers.notNullValue())
                        .body("stages.extracting", Matchers.notNullValue())
                        .body("stages.delivering", Matchers.notNullValue())
                        .body("stages.finished", Matchers.notNullValue())
                        .body("delivery.location", equalTo("s3://acme/out/f.csv"))
                        .body("delivery.attempts.size()", equalTo(1)));

        given().get("/campaigns/{id}/runs", campaign)
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo(runId));
    }

    @Test
    void malformedStageEventGoesToTheDeadLetterTopicAndConsumptionContinues() {
        String poisonKey = "poison-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            ProducerRecord<String, String> poison =
                    new ProducerRecord<>(Topics.EXTRACTION_EVENTS, poisonKey, "{not json");
            poison.headers().add("ce_specversion", "1.0".getBytes());
            poison.headers().add("ce_id", UUID.randomUUID().toString().getBytes());
            poison.headers().add("ce_source", "/test".getBytes());
            poison.headers().add("ce_type", "io.mailshot.extraction.completed.v1".getBytes());
            producer.send(poison);
            producer.flush();
        }
        List<ConsumerRecord<String, String>> dead = KafkaTestClients.read(
                Topics.DEAD_LETTER_PREFIX + "campaign", r -> poisonKey.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        assertFalse(new String(
                        dead.get(0).headers().lastHeader("dead-letter-reason").value())
                .isBlank());

        // The consumer is still alive: a later run still progresses.
        activationPublishesRunRequestedAndStageEventsDriveTheRun();
    }

    private void send(KafkaProducer<String, String> producer, String topic, String key, Record data) {
        producer.send(codec.encode(topic, key, "/test", data));
    }
}
