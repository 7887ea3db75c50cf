package io.mailshot.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.Topics;
import io.mailshot.infra.ForkedServer;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.InfraTestResource;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real campaign-service processes (the packaged jar, twice) against one PostgreSQL and one Kafka: every
 * due occurrence of a schedule fires exactly once across them — one run row and one {@code RunRequested}.
 * Runs after {@code package} (failsafe), so the jar under test is the one just built.
 */
class SchedulerReplicasIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static InfraTestResource infra;
    private static PeerServicesStub peers;
    private static Map<String, String> config;
    private static final List<ForkedServer> replicas = new ArrayList<>();
    private static final List<String> urls = new ArrayList<>();

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        infra = new InfraTestResource();
        infra.init(Map.of("database", "campaign"));
        config = new LinkedHashMap<>(infra.start());
        peers = new PeerServicesStub();
        config.putAll(peers.start());
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the packaged service is missing: " + jar);
        Path logs = Path.of("target/replicas").toAbsolutePath();
        for (String name : List.of("campaign-a", "campaign-b")) {
            Files.deleteIfExists(logs.resolve(name + ".log")); // the report below reads this run's lines only
        }
        for (String name : List.of("campaign-a", "campaign-b")) {
            int port = InfraPaths.freePort();
            List<String> command = new ArrayList<>(List.of(
                    InfraPaths.javaExecutable(),
                    "-Xmx256m",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.http.host=127.0.0.1",
                    // Dies with this JVM even if it is killed: the child watches its stdin pipe.
                    "-Dmailshot.parent-watch=true",
                    // Occurrences come due within a fraction of a second, so the replicas really compete.
                    "-Dmailshot.scheduler.poll-interval=100ms",
                    // The packaged jar runs the production policy (approval required); this test is about schedulers.
                    "-Dmailshot.approval.required=false"));
            config.forEach((k, v) -> {
                if (!k.startsWith("mailshot.test.")) {
                    command.add("-D" + k + "=" + v);
                }
            });
            command.add("-jar");
            command.add(jar.toString());
            replicas.add(ForkedServer.launch(name, command, logs));
            urls.add("http://127.0.0.1:" + port);
        }
        for (int i = 0; i < replicas.size(); i++) {
            awaitReady(replicas.get(i), urls.get(i));
        }
    }

    @AfterAll
    static void stopEverything() {
        replicas.forEach(ForkedServer::close);
        if (peers != null) {
            peers.stop();
        }
        if (infra != null) {
            infra.stop();
        }
    }

    private static void awaitReady(ForkedServer replica, String url) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(START).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertTrue(replica.isAlive(), replica.name() + " exited; see " + replica.log());
            try {
                return http.send(
                                        HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(
                config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }

    private static String configuration(String url) {
        return given().baseUri(url)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"replicas-" + UUID.randomUUID() + "\",\"routingId\":\""
                        + PeerServicesStub.ACTIVE_ROUTING + "\"}")
                .post("/direct-mail-configurations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String scheduledCampaign(String url, String configuration, String schedule) {
        String body = CampaignFlowTest.campaignBody(configuration, "SCHEDULED")
                .replaceFirst("\\{", "{\"schedule\": " + schedule + ",");
        String id = given().baseUri(url)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().baseUri(url)
                .post("/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("SCHEDULED"));
        return id;
    }

    /** Run rows per (campaign, occurrence), from the database both replicas share. */
    private static Map<String, Integer> runRows(Set<String> campaigns) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = database();
                PreparedStatement ps = c.prepareStatement("select campaign_id, requested_at, count(*) from run"
                        + " where campaign_id = any (?) group by campaign_id, requested_at")) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "uuid", campaigns.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "@" + rs.getTimestamp(2).toInstant(), rs.getInt(3));
                }
            }
        }
        return rows;
    }

    /** RunRequested records per (campaign, occurrence) on the runs topic, read with a plain consumer. */
    private static Map<String, Integer> runRequested(Set<String> campaigns) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "replicas-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.RUNS));
            // Read to the end of the topic as it is now: empty polls after the assignment mean we are there.
            int emptyPolls = 0;
            while (emptyPolls < 10) {
                var records = consumer.poll(Duration.ofMillis(300));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    emptyPolls++;
                    continue;
                }
                emptyPolls = 0;
                for (ConsumerRecord<String, String> r : records) {
                    JsonNode data = JSON.readTree(r.value());
                    String campaign = data.path("campaignId").asText();
                    if (campaigns.contains(campaign)) {
                        counts.merge(
                                campaign + "@"
                                        + Instant.parse(data.path("requestedAt").asText()),
                                1,
                                Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    @Test
    void eachDueOccurrenceFiresExactlyOnceAcrossTwoReplicas() throws Exception {
        Set<String> campaigns = new HashSet<>();
        Set<String> expected = new HashSet<>();

        // Ten one-off campaigns, half activated through each replica, scheduled an hour ahead; then their
        // moment comes for all ten at once (one UPDATE moves their date to now), so the replicas compete for
        // the same due rows without the test depending on how long the activations took.
        Instant later = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<UUID> oneOffs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String url = urls.get(i % 2);
            String id =
                    scheduledCampaign(url, configuration(url), "{\"frequency\": \"ONCE\", \"at\": \"" + later + "\"}");
            campaigns.add(id);
            oneOffs.add(UUID.fromString(id));
        }
        try (Connection c = database();
                PreparedStatement due = c.prepareStatement("update campaign_schedule set fire_at = now(),"
                        + " next_fire_at = now() where campaign_id = any (?) returning campaign_id, next_fire_at")) {
            due.setArray(1, c.createArrayOf("uuid", oneOffs.toArray()));
            try (ResultSet rs = due.executeQuery()) {
                while (rs.next()) {
                    expected.add(rs.getString(1) + "@" + rs.getTimestamp(2).toInstant());
                }
            }
        }
        assertEquals(10, expected.size());

        // A recurring campaign whose replicas were "down" for several occurrences, round after round: each
        // round makes one occurrence due (an earlier one than now), which must fire once and only once.
        String daily = scheduledCampaign(
                urls.get(1),
                configuration(urls.get(1)),
                "{\"frequency\": \"DAILY\", \"time\": \"03:00\", \"timeZone\": \"Europe/Paris\"}");
        campaigns.add(daily);
        await().atMost(WAIT).until(() -> runRows(campaigns).size() >= 10);
        for (int round = 1; round <= 4; round++) {
            Instant occurrence = Instant.now().minus(round, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            try (Connection c = database();
                    PreparedStatement due =
                            c.prepareStatement("update campaign_schedule set next_fire_at = ? where campaign_id = ?")) {
                due.setTimestamp(1, Timestamp.from(occurrence));
                due.setObject(2, UUID.fromString(daily));
                assertEquals(1, due.executeUpdate());
            }
            expected.add(daily + "@" + occurrence);
            await().atMost(WAIT).until(() -> runRows(Set.of(daily)).containsKey(daily + "@" + occurrence));
        }

        // Nothing more fires while both replicas keep polling (about forty polls each).
        await().during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(10))
                .until(() -> runRows(campaigns).keySet().equals(expected));
        Map<String, Integer> rows = runRows(campaigns);
        assertEquals(expected, rows.keySet());
        rows.forEach((occurrence, count) -> assertEquals(1, count, "run rows for " + occurrence));

        Map<String, Integer> published = new HashMap<>();
        await().atMost(WAIT).until(() -> {
            published.clear();
            published.putAll(runRequested(campaigns));
            return published.keySet().equals(expected);
        });
        published.forEach((occurrence, count) -> assertEquals(1, count, "RunRequested for " + occurrence));

        // The one-offs are done: no next occurrence, and each is ACTIVE with its single run.
        for (String id : campaigns) {
            if (!id.equals(daily)) {
                given().baseUri(urls.get(0))
                        .get("/campaigns/{id}", id)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("ACTIVE"))
                        .body("nextRunAt", equalTo(null));
            }
        }
        // Both replicas were up and polling the whole time.
        for (ForkedServer replica : replicas) {
            assertTrue(replica.isAlive(), replica.name() + " died; see " + replica.log());
        }
        report();
    }

    /** Which replica fired what, for the build log (not asserted: either may win any claim). */
    private static void report() throws IOException {
        for (ForkedServer replica : replicas) {
            long fired = Files.readAllLines(replica.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(" fired its "))
                    .count();
            System.out.println(replica.name() + " fired " + fired + " occurrence(s)");
        }
    }
}
