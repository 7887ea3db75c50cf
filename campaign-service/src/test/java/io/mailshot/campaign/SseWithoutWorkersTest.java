package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.events.AudienceResolutionProgressed;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * A run's server-sent events hold no worker thread per subscriber: with a worker pool of {@value #WORKERS}
 * threads, three times as many subscribers each get the run, its progress (also when another replica wrote it) and
 * its final state, and the API answers meanwhile.
 */
@QuarkusTest
@TestProfile(SseWithoutWorkersTest.SmallWorkerPool.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "campaign"))
@QuarkusTestResource(PeerServicesStub.class)
class SseWithoutWorkersTest {

    static final int WORKERS = 8;
    private static final int SUBSCRIBERS = 3 * WORKERS;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The worker pool, small enough that a worker per subscriber would starve the service. */
    public static class SmallWorkerPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.thread-pool.max-threads", String.valueOf(WORKERS));
        }
    }

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @Test
    void moreSubscribersThanWorkersAllGetTheFinalEventAndTheApiAnswers() throws Exception {
        String configuration =
                CampaignFlowTest.createConfiguration("sse-" + UUID.randomUUID(), PeerServicesStub.ACTIVE_ROUTING);
        String campaign = given().contentType(ContentType.JSON)
                .body(CampaignFlowTest.campaignBody(configuration, "SCHEDULED"))
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String runId = given().post("/campaigns/{id}/activate", campaign)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        UUID run = UUID.fromString(runId);

        ExecutorService readers = Executors.newFixedThreadPool(SUBSCRIBERS);
        HttpClient http = HttpClient.newHttpClient();
        try {
            List<RunEventStream> streams = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                streams.add(new RunEventStream(http, runId, readers));
            }
            await().atMost(WAIT).until(() -> streams.stream().noneMatch(s -> s.events.isEmpty()));

            // Every subscriber open, and the API still answers reads and writes.
            given().get("/runs/{id}", runId).then().statusCode(200).body("id", equalTo(runId));
            given().get("/campaigns/{id}", campaign).then().statusCode(200);

            // A change arriving by Kafka reaches every subscriber.
            try (KafkaProducer<String, String> producer = KafkaTestClients.producer()) {
                producer.send(codec.encode(
                        Topics.AUDIENCE_EVENTS,
                        runId,
                        "/test",
                        new AudienceResolutionProgressed(run, UUID.randomUUID(), 0, 1, 30, 25)));
                producer.flush();
            }
            await().atMost(WAIT)
                    .until(() -> streams.stream()
                            .allMatch(s -> s.events.stream()
                                    .anyMatch(e ->
                                            e.at("/progress/profilesStreamed").asLong() == 25)));

            // A change another replica commits (straight to the database, no notice in this process) arrives too.
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("update run set rows_written = 77 where id = ?")) {
                ps.setObject(1, run);
                assertEquals(1, ps.executeUpdate());
            }
            await().atMost(WAIT)
                    .until(() -> streams.stream()
                            .allMatch(s -> s.events.stream()
                                    .anyMatch(e -> e.at("/progress/rowsWritten").asLong() == 77)));

            // The final state reaches every subscriber, and each stream then ends.
            given().post("/runs/{id}/cancel", runId).then().statusCode(200);
            await().atMost(WAIT).until(() -> streams.stream().allMatch(s -> s.ended.isDone()));
            for (RunEventStream s : streams) {
                s.ended.join(); // ended normally
                assertEquals("CANCELLED", s.last().path("status").asText(), s.events.toString());
            }
        } finally {
            readers.shutdownNow();
        }
    }
}
