package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.AudienceResolutionProgressed;
import io.mailshot.events.AudienceResolutionStarted;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionProgressed;
import io.mailshot.events.ExtractionStarted;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Live progress from the advisory progress events: shown by the run, the runs list and the run's
 * server-sent events; never dead-lettered, never in the processed-event log; final figures win.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class ProgressTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();
    private final List<String> eventIds = new ArrayList<>();

    private String[] activate() {
        String configuration =
                CampaignFlowTest.createConfiguration("progress-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String campaign = given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String run = given().post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(202)
                .body("progress.profilesStreamed", nullValue())
                .body("progress.rowsWritten", nullValue())
                .extract()
                .path("id");
        return new String[] {campaign, run};
    }

    private void publish(String topic, String runId, Record... events) {
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
            for (Record event : events) {
                ProducerRecord<String, String> record = codec.encode(topic, runId, "/test", event);
                eventIds.add(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
    }

    private void awaitProgress(String runId, Integer streamed, Integer rows) {
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/runs/{id}", runId)
                        .then()
                        .statusCode(200)
                        .body("progress.profilesStreamed", equalTo(streamed))
                        .body("progress.rowsWritten", equalTo(rows)));
    }

    @Test
    void progressSumsTheLatestFigureOfEachSliceAndFinalFiguresWin() throws Exception {
        String[] ids = activate();
        String campaign = ids[0];
        String runId = ids[1];
        UUID run = UUID.fromString(runId);
        UUID attemptA = UUID.randomUUID();
        UUID attemptB = UUID.randomUUID();

        publish(
                Topics.AUDIENCE_EVENTS,
                runId,
                new AudienceResolutionStarted(run, attemptA),
                new AudienceResolutionProgressed(run, attemptA, 0, 2, 120, 100),
                new AudienceResolutionProgressed(run, attemptB, 1, 2, 60, 50));
        awaitProgress(runId, 150, null);

        // A repeated, older figure of the same attempt does not move the bar back; the runs list agrees.
        publish(
                Topics.AUDIENCE_EVENTS,
                runId,
                new AudienceResolutionProgressed(run, attemptA, 0, 2, 90, 80),
                new AudienceResolutionProgressed(run, attemptB, 1, 2, 70, 60));
        awaitProgress(runId, 160, null);
        given().get("/campaigns/{id}/runs", campaign)
                .then()
                .statusCode(200)
                .body("items[0].progress.profilesStreamed", equalTo(160));

        // Slice 0 restarts as a new attempt: its figure is replaced, not added.
        UUID attemptC = UUID.randomUUID();
        publish(Topics.AUDIENCE_EVENTS, runId, new AudienceResolutionProgressed(run, attemptC, 0, 2, 10, 10));
        awaitProgress(runId, 70, null);

        // Rows written: the latest figure, even when a rebuild restarts it from zero.
        publish(
                Topics.EXTRACTION_EVENTS,
                runId,
                new ExtractionStarted(run, attemptC),
                new ExtractionProgressed(run, 40, 40));
        awaitProgress(runId, 70, 40);
        publish(Topics.EXTRACTION_EVENTS, runId, new ExtractionProgressed(run, 5, 3));
        awaitProgress(runId, 70, 3);

        // The exact final figures win over any progress, even progress that arrives later.
        publish(
                Topics.AUDIENCE_EVENTS,
                runId,
                new AudienceResolved(run, attemptC, 100, 95, new ExclusionCounts(5, 0, 0, 0, 0)),
                new AudienceResolutionProgressed(run, attemptC, 0, 2, 900, 900));
        awaitProgress(runId, 95, 3);
        publish(
                Topics.EXTRACTION_EVENTS,
                runId,
                new ExtractionCompleted(
                        run,
                        UUID.fromString(campaign),
                        PeerServicesStub.ACTIVE_ROUTING,
                        95,
                        List.of(new StagedFile(
                                "f.csv", "mailshot-staging", "runs/" + runId + "/f.csv", 95, 1000, "cd".repeat(32)))),
                new ExtractionProgressed(run, 999, 999));
        awaitProgress(runId, 95, 95);
        given().get("/runs/{id}", runId)
                .then()
                .body("status", equalTo("DELIVERING"))
                .body("counts.streamed", equalTo(95))
                .body("counts.exported", equalTo(95));

        // Advisory events are kept out of the processed-event log; the others are in it.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from processed_event where event_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                // AudienceResolutionStarted, ExtractionStarted, AudienceResolved, ExtractionCompleted.
                assertEquals(4, rs.getLong(1));
            }
        }
        // None of them went to the dead-letter topic.
        assertEquals(
                0,
                KafkaTestClients.read(
                                Topics.DEAD_LETTER_PREFIX + "campaign",
                                r -> runId.equals(r.key()),
                                1,
                                Duration.ofSeconds(3))
                        .size());
    }

    @Test
    void progressOfAnUnknownRunIsIgnoredAndConsumptionContinues() {
        UUID stranger = UUID.randomUUID();
        publish(
                Topics.AUDIENCE_EVENTS,
                stranger.toString(),
                new AudienceResolutionProgressed(stranger, UUID.randomUUID(), 0, 1, 10, 10));
        publish(Topics.EXTRACTION_EVENTS, stranger.toString(), new ExtractionProgressed(stranger, 10, 10));
        String runId = activate()[1];
        UUID run = UUID.fromString(runId);
        publish(Topics.AUDIENCE_EVENTS, runId, new AudienceResolutionProgressed(run, UUID.randomUUID(), 0, 1, 7, 7));
        awaitProgress(runId, 7, null);
        given().get("/runs/{id}", stranger).then().statusCode(404);
        assertEquals(
                0,
                KafkaTestClients.read(
                                Topics.DEAD_LETTER_PREFIX + "campaign",
                                r -> stranger.toString().equals(r.key()),
                                1,
                                Duration.ofSeconds(3))
                        .size());
    }

    @Test
    void serverSentEventsCarryProgress() throws Exception {
        String runId = activate()[1];
        UUID run = UUID.fromString(runId);
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/runs/" + runId + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", InfraTestResource.bearer("admin"))
                .GET()
                .build();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            events.add(json.readTree(line.substring(5).trim()));
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(WAIT).until(() -> !events.isEmpty());
            UUID attempt = UUID.randomUUID();
            publish(Topics.AUDIENCE_EVENTS, runId, new AudienceResolutionProgressed(run, attempt, 0, 1, 30, 25));
            await().atMost(WAIT)
                    .until(() -> events.stream()
                            .anyMatch(e -> e.at("/progress/profilesStreamed").asLong() == 25));
            publish(Topics.EXTRACTION_EVENTS, runId, new ExtractionProgressed(run, 25, 20));
            await().atMost(WAIT)
                    .until(() -> events.stream()
                            .anyMatch(e -> e.at("/progress/rowsWritten").asLong() == 20));
            assertTrue(
                    events.get(0).at("/progress/profilesStreamed").isNull(),
                    events.get(0).toString());
        } finally {
            given().post("/runs/{id}/cancel", runId).then().statusCode(200);
            reading.join(); // the stream ends by itself after CANCELLED
        }
    }
}
