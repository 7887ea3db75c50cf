package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.AudienceResolutionStarted;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionFailed;
import io.mailshot.events.ExtractionStarted;
import io.mailshot.events.RunCancelled;
import io.mailshot.events.RunRequested;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/** Retrying a failed run with its snapshot, and following a run as server-sent events. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class RunCommandsTest {

    @Inject
    EventCodec codec;

    private String activate() {
        String configuration =
                CampaignFlowTest.createConfiguration("runs-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String campaign = given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return given().post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private void publish(String topic, String runId, Record event) {
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            producer.send(codec.encode(topic, runId, "/test", event));
            producer.flush();
        }
    }

    @Test
    void aFailedRunIsRetriedWithTheSameSnapshot() {
        String runId = activate();
        given().post("/runs/{id}/retry", runId).then().statusCode(409).body("rule", equalTo("failed-only"));
        publish(Topics.EXTRACTION_EVENTS, runId, new ExtractionFailed(UUID.fromString(runId), "staging bucket gone"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/runs/{id}", runId)
                        .then()
                        .body("status", equalTo("FAILED"))
                        .body("error", equalTo("staging bucket gone")));

        String retryId = given().post("/runs/{id}/retry", runId)
                .then()
                .statusCode(202)
                .body("status", equalTo("REQUESTED"))
                .body("retryOf", equalTo(runId))
                .extract()
                .path("id");
        given().get("/runs/{id}", retryId).then().statusCode(200).body("retryOf", equalTo(runId));
        RunRequested original = codec.decode(
                        KafkaTestClients.read(Topics.RUNS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30))
                                .get(0))
                .data(RunRequested.class);
        RunRequested retried = codec.decode(
                        KafkaTestClients.read(Topics.RUNS, r -> retryId.equals(r.key()), 1, Duration.ofSeconds(30))
                                .get(0))
                .data(RunRequested.class);
        assertEquals(original.spec(), retried.spec());
        assertEquals(UUID.fromString(retryId), retried.runId());
    }

    @Test
    void aRunIsDeliveredOnlyOnceItsExtractionCountsAreInWhateverOrderTheStagesEventsAreRead() {
        String runId = activate();
        UUID run = UUID.fromString(runId);
        // The delivery's event is read first (the three stage topics are read independently, e.g. after a
        // broker restart): the run must not look DELIVERED with nothing exported.
        publish(
                Topics.DELIVERY_EVENTS,
                runId,
                new DeliverySucceeded(
                        run,
                        PeerServicesStub.ACTIVE_ROUTING,
                        "s3://x/y",
                        List.of(new DeliveredFile("f.csv", "s3://x/y/f.csv", 10, "00"))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/runs/{id}", runId).then().body("delivery.location", equalTo("s3://x/y/f.csv")));
        given().get("/runs/{id}", runId).then().body("status", not(equalTo("DELIVERED")));

        publish(
                Topics.EXTRACTION_EVENTS,
                runId,
                new ExtractionCompleted(
                        run,
                        UUID.randomUUID(),
                        PeerServicesStub.ACTIVE_ROUTING,
                        7,
                        List.of(new StagedFile("f.csv", "mailshot-staging", "runs/" + runId + "/f.csv", 7, 10, "00"))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/runs/{id}", runId)
                        .then()
                        .body("status", equalTo("DELIVERED"))
                        .body("counts.exported", equalTo(7))
                        .body("stages.finished", notNullValue()));
    }

    @Test
    void aCancelledRunTellsEveryStageAndIgnoresLateEvents() {
        String runId = activate();
        // Who cancelled comes from the token: a header naming someone else changes nothing.
        given().header("Authorization", InfraTestResource.bearer("operator"))
                .header("X-Mailshot-User", "frank")
                .post("/runs/{id}/cancel", runId)
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("error", equalTo("cancelled by Otto Operator"))
                .body("cancelledBy.subject", equalTo(InfraTestResource.subject("operator")))
                .body("cancelledBy.name", equalTo("Otto Operator"));
        var cancelled =
                KafkaTestClients.read(Topics.RUN_CANCELLATIONS, r -> runId.equals(r.key()), 1, Duration.ofSeconds(30));
        RunCancelled fact = codec.decode(cancelled.get(0)).data(RunCancelled.class);
        assertEquals(UUID.fromString(runId), fact.runId());
        assertEquals(InfraTestResource.subject("operator"), fact.cancelledBy().subject());
        // A stage that had not heard of it yet cannot bring the run back.
        publish(Topics.EXTRACTION_EVENTS, runId, new ExtractionStarted(UUID.fromString(runId), UUID.randomUUID()));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/runs/{id}", runId).then().body("status", equalTo("CANCELLED")));
        given().post("/runs/{id}/cancel", runId).then().statusCode(409).body("rule", equalTo("in-progress"));
    }

    @Test
    void progressStreamsAsServerSentEventsUntilTheFinalState() throws Exception {
        String runId = activate();
        UUID run = UUID.fromString(runId);
        List<String> events = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/runs/" + runId + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", InfraTestResource.bearer("admin"))
                .GET()
                .build();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            events.add(line.substring(5).trim());
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
        UUID attempt = UUID.randomUUID();
        publish(Topics.AUDIENCE_EVENTS, runId, new AudienceResolutionStarted(run, attempt));
        publish(Topics.EXTRACTION_EVENTS, runId, new ExtractionStarted(run, attempt));
        publish(
                Topics.EXTRACTION_EVENTS,
                runId,
                new ExtractionCompleted(
                        run,
                        UUID.randomUUID(),
                        PeerServicesStub.ACTIVE_ROUTING,
                        1,
                        List.of(new StagedFile("f.csv", "mailshot-staging", "runs/" + runId + "/f.csv", 1, 1, "00"))));
        publish(
                Topics.DELIVERY_EVENTS,
                runId,
                new DeliverySucceeded(
                        run,
                        PeerServicesStub.ACTIVE_ROUTING,
                        "s3://x/y",
                        List.of(new DeliveredFile("f.csv", "s3://x/y/f.csv", 1, "00"))));
        reading.get(60, TimeUnit.SECONDS); // the stream ends by itself after DELIVERED
        assertTrue(events.get(0).contains("\"status\":\"REQUESTED\""), events.get(0));
        assertTrue(events.get(events.size() - 1).contains("\"status\":\"DELIVERED\""), events.toString());
        assertTrue(events.size() >= 2, events.toString());
    }
}
