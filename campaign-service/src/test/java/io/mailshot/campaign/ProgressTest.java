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
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.DeliveryProgressed;
import io.mailshot.events.DeliverySucceeded;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

    @Test
    void serverSentEventsCarryMovingCountsTimeLeftAndTheFinalRun() throws Exception {
        String[] ids = activate();
        String runId = ids[1];
        UUID run = UUID.fromString(runId);
        UUID attempt = UUID.randomUUID();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            RunEventStream stream = new RunEventStream(HttpClient.newHttpClient(), runId, reader);
            await().atMost(WAIT).until(() -> !stream.events.isEmpty());

            // Resolving: profiles streamed move; no total yet, so no time left (never a made-up one).
            publish(
                    Topics.AUDIENCE_EVENTS,
                    runId,
                    new AudienceResolutionStarted(run, attempt),
                    new AudienceResolutionProgressed(run, attempt, 0, 1, 300, 300));
            JsonNode resolving =
                    awaitEvent(stream, e -> e.at("/progress/current/done").asLong() == 300);
            assertEquals("RESOLVING", resolving.at("/progress/current/stage").asText(), resolving.toString());
            assertEquals("profiles", resolving.at("/progress/current/unit").asText());
            assertTrue(resolving.at("/progress/current/total").isNull(), resolving.toString());
            assertTrue(resolving.at("/progress/current/etaSeconds").isNull(), resolving.toString());

            // Extracting: rows written of the 1000 profiles streamed, moving until the stream measures a rate.
            publish(
                    Topics.AUDIENCE_EVENTS,
                    runId,
                    new AudienceResolved(run, attempt, 1000, 1000, new ExclusionCounts(0, 0, 0, 0, 0)));
            publish(Topics.EXTRACTION_EVENTS, runId, new ExtractionStarted(run, attempt));
            long[] rows = {0};
            JsonNode timed = await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () -> {
                                rows[0] = Math.min(rows[0] + 20, 980);
                                publish(
                                        Topics.EXTRACTION_EVENTS,
                                        runId,
                                        new ExtractionProgressed(run, rows[0], rows[0]));
                                return stream.events.stream()
                                        .filter(e -> "EXTRACTING"
                                                        .equals(e.at("/progress/current/stage")
                                                                .asText())
                                                && e.at("/progress/current/etaSeconds")
                                                        .isNumber())
                                        .findFirst()
                                        .orElse(null);
                            },
                            e -> e != null);
            assertEquals("EXTRACTING", timed.at("/progress/current/stage").asText(), timed.toString());
            assertEquals("rows", timed.at("/progress/current/unit").asText());
            assertEquals(1000, timed.at("/progress/current/total").asLong());
            long done = timed.at("/progress/current/done").asLong();
            assertEquals(done, timed.at("/progress/rowsWritten").asLong());
            assertTrue(timed.at("/progress/current/ratePerSecond").asDouble() > 0, timed.toString());
            assertTrue(timed.at("/progress/current/etaSeconds").asLong() > 0, timed.toString());
            // The bar only moved forward while the extraction ran.
            List<Long> bar = stream.events.stream()
                    .filter(e ->
                            "EXTRACTING".equals(e.at("/progress/current/stage").asText()))
                    .map(e -> e.at("/progress/current/done").asLong())
                    .toList();
            assertTrue(bar.size() >= 2, bar.toString());
            for (int i = 1; i < bar.size(); i++) {
                assertTrue(bar.get(i) >= bar.get(i - 1), bar.toString());
            }

            // The extraction stalls: the run is sent again with a lower rate, not left at its last estimate.
            long lastRows = rows[0];
            JsonNode atLast = awaitEvent(
                    stream,
                    e -> "EXTRACTING".equals(e.at("/progress/current/stage").asText())
                            && e.at("/progress/current/done").asLong() == lastRows
                            && e.at("/progress/current/ratePerSecond").isNumber());
            double rateAtLast = atLast.at("/progress/current/ratePerSecond").asDouble();
            JsonNode stalled = awaitEvent(
                    stream,
                    e -> "EXTRACTING".equals(e.at("/progress/current/stage").asText())
                            && e.at("/progress/current/done").asLong() == lastRows
                            && e.at("/progress/current/ratePerSecond").isNumber()
                            && e.at("/progress/current/ratePerSecond").asDouble() < rateAtLast);
            assertEquals(lastRows, stalled.at("/progress/rowsWritten").asLong(), stalled.toString());

            // Staged, then delivering: bytes of the delivery's latest attempt; an older figure never moves it back.
            publish(
                    Topics.EXTRACTION_EVENTS,
                    runId,
                    new ExtractionProgressed(run, 1000, 1000, 1L, 50_000L),
                    new ExtractionCompleted(
                            run,
                            UUID.fromString(ids[0]),
                            PeerServicesStub.ACTIVE_ROUTING,
                            1000,
                            List.of(new StagedFile(
                                    "f.csv",
                                    "mailshot-staging",
                                    "runs/" + runId + "/f.csv",
                                    1000,
                                    50_000,
                                    "ab".repeat(32)))));
            publish(
                    Topics.DELIVERY_EVENTS,
                    runId,
                    new DeliveryProgressed(run, 1, 0, 2, 20_000, 50_200),
                    new DeliveryProgressed(run, 1, 0, 2, 10_000, 50_200));
            JsonNode delivering =
                    awaitEvent(stream, e -> e.at("/progress/current/done").asLong() == 20_000);
            assertEquals("DELIVERING", delivering.at("/progress/current/stage").asText(), delivering.toString());
            assertEquals("bytes", delivering.at("/progress/current/unit").asText());
            assertEquals(50_200, delivering.at("/progress/current/total").asLong());
            assertEquals(1, delivering.at("/progress/partsStaged").asLong());
            assertEquals(50_000, delivering.at("/progress/bytesStaged").asLong());
            given().get("/runs/{id}", runId)
                    .then()
                    .statusCode(200)
                    .body("progress.bytesDelivered", equalTo(20_000))
                    .body("progress.current.done", equalTo(20_000))
                    .body("progress.current.etaSeconds", nullValue());

            // A second attempt starts again from zero and replaces the first one's figures.
            publish(Topics.DELIVERY_EVENTS, runId, new DeliveryProgressed(run, 2, 2, 2, 50_200, 50_200));
            awaitEvent(stream, e -> e.at("/progress/bytesDelivered").asLong() == 50_200);

            // The final event: the delivered run, after which the stream ends.
            publish(
                    Topics.DELIVERY_EVENTS,
                    runId,
                    new DeliverySucceeded(
                            run,
                            PeerServicesStub.ACTIVE_ROUTING,
                            "s3://inbox",
                            List.of(new DeliveredFile("f.csv", "s3://inbox/f.csv", 50_000, "ab".repeat(32)))));
            stream.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JsonNode last = stream.last();
            assertEquals("DELIVERED", last.path("status").asText(), last.toString());
            assertTrue(last.at("/progress/current").isNull(), last.toString());
            assertEquals(1000, last.at("/counts/exported").asLong());
        } finally {
            reader.shutdownNow();
        }
    }

    private static JsonNode awaitEvent(RunEventStream stream, Predicate<JsonNode> match) {
        return await().atMost(WAIT)
                .until(() -> stream.events.stream().filter(match).findFirst().orElse(null), e -> e != null);
    }
}
