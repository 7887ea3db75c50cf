package io.mailshot.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.LocalInfra;
import io.mailshot.infra.SftpServer;
import io.mailshot.launcher.SyntheticProfiles.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole pipeline, as separate processes on real infrastructure: REST in, files out, read back by a
 * provider's own clients and compared row by row with the ingested profiles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailshotEndToEndIT {

    private static final long SEED = 20261128L;
    private static final int SMALL = 10_000;
    private static final int BIG = 200_000;

    private LocalPlatform platform;
    /** Every service exports its spans here (OTLP/HTTP): one run's must share one trace id. */
    private OtlpReceiver traces;

    private Workflow flow;
    private Path dir;
    /** How long an undisturbed run of the big audience took, to compare the disturbed ones with. */
    private Duration undisturbedTook;
    /** The big audience's profiles by customer id, ingested once. */
    private Map<String, Profile> big;
    /** The first test's profiles by customer id, and its two campaigns, which mailed every eligible one once. */
    private Map<String, Profile> mailedTwice;

    private List<String> firstCampaigns;

    @BeforeAll
    void startPlatform() throws IOException {
        LocalPlatform.shareIdentityProvider();
        dir = InfraPaths.root().resolve("deploy/local/launcher/target/e2e-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        traces = new OtlpReceiver();
        // Two audience replicas: every run below is resolved in four slices shared by two processes. Tracing is off
        // by default; here every service exports its spans to the test's receiver.
        platform = LocalPlatform.start(
                dir,
                LocalPlatform.Ports.free(),
                2,
                false,
                Map.of(
                        "quarkus.otel.exporter.otlp.traces.endpoint", traces.endpoint(),
                        "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                        "quarkus.otel.bsp.schedule.delay", "500ms"));
        flow = new Workflow(platform);
    }

    @AfterAll
    void stopPlatform() throws IOException {
        if (traces != null) {
            traces.close();
        }
        if (platform == null) {
            return;
        }
        StringBuilder report = new StringBuilder("peak RSS (MiB) per process:\n");
        platform.peakRssKib().forEach((name, kib) -> report.append(String.format("  %-20s %6d%n", name, kib / 1024)));
        System.out.println(report);
        Files.writeString(dir.resolve("peak-rss.txt"), report.toString());
        platform.close();
    }

    @Test
    @Order(1)
    void deliversEveryConsentingProfileExactlyOnceToS3AndSftp() throws Exception {
        Map<String, Profile> expected = ingest("e2e", SMALL);
        String audience = flow.createAudience("E2E customers", "e2e");
        String s3Routing = flow.createS3Routing("e2e-s3", "e2e-provider", "outbound/mailshot");
        String sftpRouting = flow.createSftpRouting("e2e-sftp", "inbox");
        String s3Campaign =
                flow.createCampaign("E2E S3 mailing", audience, flow.createConfiguration("e2e-s3", s3Routing));
        String sftpCampaign =
                flow.createCampaign("E2E SFTP mailing", audience, flow.createConfiguration("e2e-sftp", sftpRouting));

        mailedTwice = expected;
        firstCampaigns = List.of(s3Campaign, sftpCampaign);
        String s3Run = flow.activate(s3Campaign);
        String sftpRun = flow.activate(sftpCampaign);
        JsonNode s3Result = flow.awaitFinished(s3Run, Duration.ofMinutes(5), r -> {});
        JsonNode sftpResult = flow.awaitFinished(sftpRun, Duration.ofMinutes(5), r -> {});
        // ./mailshot watch on the delivered run: its event stream's final event, then the run's report.
        ByteArrayOutputStream watched = new ByteArrayOutputStream();
        new RunWatcher(
                        flow.api(),
                        flow.url("campaign-service"),
                        new PrintStream(watched, true, StandardCharsets.UTF_8),
                        false,
                        "")
                .watch(s3Run, Duration.ofMinutes(1));
        String report = watched.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("run " + s3Run + ": DELIVERED"), report);
        assertTrue(
                report.contains("  file:     "
                        + s3Result.path("files").path(0).path("name").asText()),
                report);
        long eligible = expected.values().stream().filter(Profile::eligible).count();
        long noConsent =
                expected.values().stream().filter(p -> !p.postalConsent()).count();
        long noAddress = expected.values().stream()
                .filter(p -> p.postalConsent() && !p.usableAddress())
                .count();
        assertTrue(noConsent > 0 && noAddress > 0, "the data has both exclusions");
        for (JsonNode run : List.of(s3Result, sftpResult)) {
            assertEquals("DELIVERED", run.path("status").asText(), run.toString());
            assertEquals(SMALL, run.path("counts").path("targeted").asLong());
            assertEquals(
                    noConsent,
                    run.path("counts").path("excluded").path("noConsent").asLong());
            assertEquals(
                    noAddress,
                    run.path("counts").path("excluded").path("noAddress").asLong());
            assertEquals(eligible, run.path("counts").path("exported").asLong());
            assertEquals(eligible, run.path("counts").path("delivered").asLong());
            // Signed in like any client; four eyes by two different people, and the run knows who started it.
            assertEquals("Mark Marketer", run.path("requestedBy").path("name").asText(), run.toString());
        }
        // One trace per run, across the four services, from the activation to the last event; another run, another.
        String s3Trace = assertOneTraceAcrossTheFourServices(s3Run);
        String sftpTrace = assertOneTraceAcrossTheFourServices(sftpRun);
        assertNotEquals(s3Trace, sftpTrace, "each run has a trace of its own");
        for (String campaign : List.of(s3Campaign, sftpCampaign)) {
            JsonNode reviewed = flow.api()
                    .get(flow.url("campaign-service") + "/campaigns/" + campaign)
                    .expect(200)
                    .body();
            assertTrue(reviewed.path("approvalRequired").asBoolean(), "the local platform requires approval");
            assertEquals(
                    "Mark Marketer", reviewed.path("createdBy").path("name").asText());
            assertEquals(
                    "Mark Marketer", reviewed.path("submittedBy").path("name").asText());
            assertEquals(
                    "Ada Approver", reviewed.path("approvedBy").path("name").asText());
            assertFalse(reviewed.path("approvedBy")
                    .path("subject")
                    .asText()
                    .equals(reviewed.path("submittedBy").path("subject").asText()));
        }
        // Nobody reads anything without a token, on any service.
        MailshotApi anonymous = new MailshotApi();
        for (String url : List.of(
                flow.url("campaign-service") + "/campaigns/" + s3Campaign,
                flow.url("audience-service") + "/audiences/" + audience,
                flow.url("extraction-service") + "/extractions/" + s3Run,
                flow.url("delivery-service") + "/file-routings/" + s3Routing)) {
            MailshotApi.Reply reply = anonymous.get(url);
            assertEquals(401, reply.status(), url + " answered " + reply.body());
        }

        // S3: exactly the file and its manifest under the prefix, read with the provider's own client.
        String s3Name = s3Result.path("file").path("name").asText();
        try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
            List<S3Object> objects = ProviderClients.listS3(s3, "e2e-provider", "outbound/mailshot/");
            assertEquals(
                    Set.of("outbound/mailshot/" + s3Name, "outbound/mailshot/" + manifest(s3Name)),
                    objects.stream().map(S3Object::key).collect(Collectors.toSet()));
            assertManifest(
                    ProviderClients.readS3(s3, "e2e-provider", "outbound/mailshot/" + manifest(s3Name)), s3Result);
            byte[] bytes = ProviderClients.readS3(s3, "e2e-provider", "outbound/mailshot/" + s3Name);
            assertFile(bytes, s3Result, expected);
            assertSimulationMatches(s3Campaign, new String(bytes, StandardCharsets.UTF_8), expected);
        }

        // SFTP: exactly one file in the folder (no temporary leftovers), read with a separate session.
        String sftpName = sftpResult.path("file").path("name").asText();
        var sftpServer = platform.infra().sftp();
        try (ProviderClients.Sftp sftp = new ProviderClients.Sftp(
                sftpServer.host(),
                sftpServer.port(),
                SftpServer.USER,
                SftpServer.PASSWORD,
                sftpServer.hostKeyFingerprint())) {
            assertEquals(Set.of(sftpName, manifest(sftpName)), Set.copyOf(sftp.list("/inbox")));
            assertManifest(sftp.read("/inbox/" + manifest(sftpName)), sftpResult);
            assertFile(sftp.read("/inbox/" + sftpName), sftpResult, expected);
        }
    }

    @Test
    @Order(2)
    void refusesWhatDirectMailCannotDo() {
        String audience = flow.createAudience("E2E refusals", "e2e");
        String routing = flow.createS3Routing("e2e-refusals", "e2e-refusals", "out");
        String configuration = flow.createConfiguration("e2e-refusals", routing);
        String campaigns = flow.url("campaign-service") + "/campaigns";

        MailshotApi.Reply apiTriggered =
                flow.api().post(campaigns, flow.campaignBody("API", "API_TRIGGERED", audience, configuration));
        assertProblem(apiTriggered, 422, "type");

        MailshotApi.Reply unknownAudience = flow.api()
                .post(
                        campaigns,
                        flow.campaignBody(
                                "Ghost audience", "SCHEDULED", UUID.randomUUID().toString(), configuration));
        assertProblem(unknownAudience, 422, "audienceId");

        MailshotApi.Reply unknownRouting = flow.api()
                .post(
                        flow.url("campaign-service") + "/direct-mail-configurations",
                        Map.of(
                                "name",
                                "ghost-routing",
                                "routingId",
                                UUID.randomUUID().toString()));
        assertProblem(unknownRouting, 422, "routingId");

        // The platform's policy requires approval of every campaign, though the configuration does not ask for it:
        // activation before a second person approved is refused.
        String unreviewed = flow.createCampaign("E2E unreviewed", audience, configuration);
        MailshotApi.Reply early = flow.api().postEmpty(campaigns + "/" + unreviewed + "/activate");
        assertEquals(409, early.status(), early.body().toString());
        assertEquals("approval-required", early.text("rule"));
    }

    @Test
    @Order(3)
    void malformedEventGoesToTheDeadLetterTopic() {
        String key = "poison-" + UUID.randomUUID();
        Properties producerProps = new Properties();
        producerProps.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.infra().kafka().bootstrapServers());
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            // Valid JSON, but no CloudEvents headers at all.
            producer.send(new ProducerRecord<>("mailshot.runs", key, "{\"runId\":\"" + UUID.randomUUID() + "\"}"));
            producer.flush();
        }
        Properties consumerProps = new Properties();
        consumerProps.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.infra().kafka().bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        AtomicReference<ConsumerRecord<String, String>> dead = new AtomicReference<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of("mailshot.dead-letter.audience"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        dead.set(r);
                    }
                }
                return dead.get() != null;
            });
        }
        String reason =
                new String(dead.get().headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("ce_specversion") || reason.contains("header"), reason);
        // The consumer carries on: the next test's run goes through the same audience consumer.
    }

    @Test
    @Order(4)
    void extractionKilledMidRunStillDeliversEveryRowOnce() throws Exception {
        Map<String, Profile> expected = ingest("big", BIG);
        big = expected;
        long consenting = expected.values().stream().filter(Profile::eligible).count();
        String audience = flow.createAudience("E2E big audience", "big");
        String routing = flow.createS3Routing("e2e-kill", "e2e-kill", "drop");
        String campaign = flow.createCampaign("E2E kill test", audience, flow.createConfiguration("e2e-kill", routing));

        // The same run undisturbed first (its own campaign and bucket): what the killed run's time is compared with.
        String calm = flow.createCampaign(
                "E2E undisturbed",
                audience,
                flow.createConfiguration(
                        "e2e-undisturbed", flow.createS3Routing("e2e-undisturbed", "e2e-undisturbed", "drop")));
        Instant undisturbedStart = Instant.now();
        JsonNode undisturbed = flow.awaitFinished(flow.activate(calm), Duration.ofMinutes(5), r -> {});
        undisturbedTook = Duration.between(undisturbedStart, Instant.now());
        assertEquals("DELIVERED", undisturbed.path("status").asText(), undisturbed.toString());

        Instant killedStart = Instant.now();
        String runId = flow.activate(campaign);
        ServiceProcess extraction = platform.service("extraction-service");
        AtomicReference<JsonNode> progress = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    MailshotApi.Reply reply = flow.api().get(extraction.url() + "/extractions/" + runId);
                    progress.set(reply.body());
                    return reply.status() == 200
                            && reply.body().path("rowsWritten").asLong() > 1_000;
                });
        extraction.kill();
        JsonNode atKill = progress.get();
        assertEquals("IN_PROGRESS", atKill.path("status").asText(), atKill.toString());
        assertTrue(atKill.path("rowsWritten").asLong() < consenting, atKill.toString());
        assertFalse(flow.run(runId).path("status").asText().equals("DELIVERED"));

        extraction.restart(Duration.ofMinutes(2));
        JsonNode result = flow.awaitFinished(runId, Duration.ofMinutes(10), r -> {});
        Duration killedTook = Duration.between(killedStart, Instant.now());
        assertEquals("DELIVERED", result.path("status").asText(), result.toString());
        assertEquals(consenting, result.path("counts").path("exported").asLong());
        // Reported, not asserted (a shared machine's timings are noise): the restarted extraction takes its
        // partitions back as a static group member as soon as it is up, not after a session time-out.
        report(String.format(
                "run of %d profiles: undisturbed %.1f s; extraction killed mid-run and restarted %.1f s",
                BIG, undisturbedTook.toMillis() / 1000.0, killedTook.toMillis() / 1000.0));

        try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
            List<S3Object> objects = ProviderClients.listS3(s3, "e2e-kill", "").stream()
                    .filter(o -> o.key().endsWith(".csv"))
                    .toList();
            assertEquals(1, objects.size(), "exactly one delivered file: " + objects);
            assertFile(ProviderClients.readS3(s3, "e2e-kill", objects.get(0).key()), result, expected);
        }
    }

    @Test
    @Order(5)
    void aCancelledRunPublishesNothing() {
        String audience = flow.createAudience("E2E cancel audience", "big");
        String routing = flow.createS3Routing("e2e-cancel", "e2e-cancel", "drop");
        String campaign = flow.createCampaign("E2E cancel", audience, flow.createConfiguration("e2e-cancel", routing));
        String runId = flow.activate(campaign);
        ServiceProcess extraction = platform.service("extraction-service");
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> flow.api()
                                .get(extraction.url() + "/extractions/" + runId)
                                .body()
                                .path("rowsWritten")
                                .asLong()
                        > 1_000);

        JsonNode cancelled = flow.api()
                .postEmpty(flow.url("campaign-service") + "/runs/" + runId + "/cancel")
                .expect(200)
                .body();
        assertEquals("CANCELLED", cancelled.path("status").asText(), cancelled.toString());

        // Every stage lets go of the run: the extraction drops it (when the audience was still streaming), or
        // the delivery refuses it (when the file was already staged). Either way nothing reaches the provider.
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            String extracted = flow.api()
                    .get(extraction.url() + "/extractions/" + runId)
                    .body()
                    .path("status")
                    .asText();
            MailshotApi.Reply delivery = flow.api().get(flow.url("delivery-service") + "/deliveries/" + runId);
            return extracted.equals("CANCELLED")
                    || delivery.body().path("status").asText().equals("FAILED");
        });
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
            try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
                return ProviderClients.listS3(s3, "e2e-cancel", "").isEmpty();
            }
        });
        assertEquals("CANCELLED", flow.run(runId).path("status").asText());
    }

    @Test
    @Order(6)
    void aRunWhoseStagingIsRefusedFailsWithItsReasonWhileTheNextCampaignIsDeliveredAndARetryDeliversIt()
            throws Exception {
        String audience = flow.createAudience("E2E refused staging", "e2e");
        String blockedRun = null;
        Path blocker = null;
        // The run id is known once activated: the refusal is set up before its file can be staged (a run of
        // 10,000 profiles needs well over the milliseconds this takes). Should it ever lose that race, the
        // folder is there already and another campaign is tried.
        for (int i = 0; i < 3 && blockedRun == null; i++) {
            String routing = flow.createS3Routing("e2e-refused-" + i, "e2e-refused", "out-" + i);
            String campaign = flow.createCampaign(
                    "E2E refused staging " + i, audience, flow.createConfiguration("e2e-refused-" + i, routing));
            String runId = flow.activate(campaign);
            Path runs = platform.infra()
                    .s3()
                    .bucketFolder(LocalInfra.STAGING_BUCKET)
                    .resolve("runs");
            Files.createDirectories(runs);
            try {
                blocker = Files.writeString(
                        runs.resolve(runId),
                        "the staging bucket refuses this run's prefix",
                        StandardOpenOption.CREATE_NEW);
                blockedRun = runId;
            } catch (FileAlreadyExistsException raced) {
                flow.awaitFinished(runId, Duration.ofMinutes(5), r -> {});
            }
        }
        assertTrue(blockedRun != null, "the staging of one run could be refused");
        String routing = flow.createS3Routing("e2e-after-refused", "e2e-after-refused", "out");
        String next = flow.activate(flow.createCampaign(
                "E2E after refused", audience, flow.createConfiguration("e2e-after-refused", routing)));

        JsonNode delivered = flow.awaitFinished(next, Duration.ofMinutes(5), r -> {});
        assertEquals("DELIVERED", delivered.path("status").asText(), delivered.toString());
        JsonNode failed = flow.awaitFinished(blockedRun, Duration.ofMinutes(5), r -> {});
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertTrue(failed.path("error").asText().startsWith("gave up after 5 tries: "), failed.toString());
        assertTrue(
                Instant.parse(delivered.path("completedAt").asText())
                        .isBefore(Instant.parse(failed.path("completedAt").asText())),
                "the next run did not wait for it");
        try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
            assertTrue(ProviderClients.listS3(s3, "e2e-refused", "").isEmpty(), "nothing of the failed run");
        }

        // The operator fixes the bucket and retries: a new run from the same snapshot is delivered.
        Files.delete(blocker);
        JsonNode retry = flow.api()
                .postEmpty(flow.url("campaign-service") + "/runs/" + blockedRun + "/retry")
                .expect(202)
                .body();
        assertEquals(blockedRun, retry.path("retryOf").asText(), retry.toString());
        JsonNode retried = flow.awaitFinished(retry.path("id").asText(), Duration.ofMinutes(5), r -> {});
        assertEquals("DELIVERED", retried.path("status").asText(), retried.toString());
        assertEquals(
                delivered.path("counts").path("exported").asLong(),
                retried.path("counts").path("exported").asLong());
    }

    @Test
    @Order(7)
    void brokerKilledMidRunStillDeliversEveryRowOnce() throws Exception {
        Map<String, Profile> expected = big;
        long consenting = expected.values().stream().filter(Profile::eligible).count();
        String audience = flow.createAudience("E2E broker audience", "big");
        String campaign = flow.createCampaign(
                "E2E broker kill",
                audience,
                flow.createConfiguration("e2e-broker", flow.createS3Routing("e2e-broker", "e2e-broker", "drop")));

        Instant start = Instant.now();
        String runId = flow.activate(campaign);
        ServiceProcess extraction = platform.service("extraction-service");
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> flow.api()
                                .get(extraction.url() + "/extractions/" + runId)
                                .body()
                                .path("rowsWritten")
                                .asLong()
                        > 1_000);
        Instant killed = Instant.now();
        platform.infra().killAndRestartKafka();
        Duration brokerStart = Duration.between(killed, Instant.now());

        JsonNode result = flow.awaitFinished(runId, Duration.ofMinutes(10), r -> {});
        Duration took = Duration.between(start, Instant.now());
        assertEquals("DELIVERED", result.path("status").asText(), result.toString());
        assertEquals(consenting, result.path("counts").path("exported").asLong());
        try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
            List<S3Object> objects = ProviderClients.listS3(s3, "e2e-broker", "").stream()
                    .filter(o -> o.key().endsWith(".csv"))
                    .toList();
            assertEquals(1, objects.size(), "exactly one delivered file: " + objects);
            assertFile(ProviderClients.readS3(s3, "e2e-broker", objects.get(0).key()), result, expected);
        }
        report(String.format(
                "run of %d profiles: undisturbed %.1f s; broker killed mid-run and restarted %.1f s"
                        + " (the broker's own restart: %.1f s)",
                BIG, undisturbedTook.toMillis() / 1000.0, took.toMillis() / 1000.0, brokerStart.toMillis() / 1000.0));
    }

    /** Prints a recovery timing and keeps it in {@code recovery.txt} of the test's folder. */
    /**
     * Every span the services exported for {@code runId} (consumer and deferred-work spans name their run) has one
     * and the same trace id; there are spans from each of the four services, the campaign-service's projection of
     * the delivery (the chain's last hop, after two outboxes and the delivery's deferred work) among them; and the
     * trace began with the activation request. Returns the trace id.
     */
    private String assertOneTraceAcrossTheFourServices(String runId) {
        AtomicReference<String> trace = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            List<OtlpReceiver.ReceivedSpan> ofRun = traces.spans().stream()
                    .filter(s -> runId.equals(s.attributes().get("mailshot.run_id")))
                    .toList();
            Set<String> traceIds =
                    ofRun.stream().map(OtlpReceiver.ReceivedSpan::traceId).collect(Collectors.toSet());
            String spans = ofRun.stream()
                    .map(s -> s.service() + " " + s.name() + " " + s.traceId())
                    .collect(Collectors.joining("\n  ", "\n  ", "\nrefused: " + traces.refused()));
            assertEquals(
                    Set.of("campaign-service", "audience-service", "extraction-service", "delivery-service"),
                    ofRun.stream().map(OtlpReceiver.ReceivedSpan::service).collect(Collectors.toSet()),
                    spans);
            assertTrue(
                    ofRun.stream()
                            .anyMatch(s -> s.service().equals("campaign-service")
                                    && s.name().equals("process io.mailshot.delivery.succeeded.v1")),
                    spans);
            assertEquals(1, traceIds.size(), spans);
            trace.set(traceIds.iterator().next());
        });
        List<OtlpReceiver.ReceivedSpan> roots = traces.spans().stream()
                .filter(s -> s.traceId().equals(trace.get()) && s.parentSpanId().isEmpty())
                .toList();
        assertEquals(1, roots.size(), roots.toString());
        assertEquals("campaign-service", roots.get(0).service(), roots.toString());
        assertTrue(roots.get(0).name().endsWith("/activate"), roots.toString());
        // The activation's checks with the peers (the audience exists, the routing is active) are REST calls in the
        // same trace: each peer's request span is the child of a campaign-service span (its REST client's).
        List<OtlpReceiver.ReceivedSpan> inTrace = traces.spans().stream()
                .filter(s -> s.traceId().equals(trace.get()))
                .toList();
        Set<String> campaignSpans = inTrace.stream()
                .filter(s -> s.service().equals("campaign-service"))
                .map(OtlpReceiver.ReceivedSpan::spanId)
                .collect(Collectors.toSet());
        for (String peer : List.of("audience-service", "delivery-service")) {
            assertTrue(
                    inTrace.stream()
                            .anyMatch(s -> s.service().equals(peer)
                                    && s.name().startsWith("GET ")
                                    && campaignSpans.contains(s.parentSpanId())),
                    peer + " has no request span called by the campaign-service in " + inTrace);
        }
        return trace.get();
    }

    /**
     * After the file leaves: the first test's two deliveries are in the contact history, so a campaign under a
     * household pressure rule of "at most 2 in 30 days" mails none of those customers again, nor a newcomer living
     * with one of them, and mails every other newcomer, in one file set per country.
     */
    @Test
    @Order(8)
    void aPressureRuleStopsTheHouseholdsMailedTwiceAndASplitByCountryDeliversOneFileSetPerCountry() throws Exception {
        String audienceUrl = flow.url("audience-service");
        // Both earlier deliveries are recorded for every customer they mailed, and for no one else.
        long mailedBefore =
                mailedTwice.values().stream().filter(Profile::eligible).count();
        for (String campaign : firstCampaigns) {
            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(() -> assertEquals(
                            mailedBefore,
                            contactRows(flow.api()
                                            .getText(audienceUrl + "/campaigns/" + campaign + "/contacts", "text/csv"))
                                    .size()));
        }
        Profile someoneMailed = mailedTwice.values().stream()
                .filter(Profile::eligible)
                .findFirst()
                .orElseThrow();
        JsonNode history = flow.api()
                .get(audienceUrl + "/profiles/crmId/" + someoneMailed.crmId() + "/contacts")
                .expect(200)
                .body();
        // Later tests of this class mail the same audience again; the first two deliveries are there in any case.
        Set<String> campaignsInHistory = new HashSet<>();
        history.path("items")
                .forEach(item -> campaignsInHistory.add(item.path("campaignId").asText()));
        assertTrue(campaignsInHistory.containsAll(firstCampaigns), history.toString());

        // Newcomers of the same audience: one of them moves in with a customer mailed twice (same address and name).
        Map<String, Profile> newcomers = new HashMap<>();
        Path ndjson = dir.resolve("newcomers.ndjson");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            Profile p = SyntheticProfiles.profile(SEED + 1, SMALL + i, "e2e");
            if (i == 0) {
                Profile host = someoneMailed;
                p = new Profile(
                        p.crmId(),
                        "Newly",
                        host.lastName(),
                        p.title(),
                        host.lines(),
                        host.postalCode(),
                        host.city(),
                        host.countryCode(),
                        "y",
                        p.tier(),
                        p.points(),
                        p.birthDate(),
                        "e2e");
            }
            newcomers.put(p.crmId(), p);
            lines.add(SyntheticProfiles.toJson(p));
        }
        Files.write(ndjson, lines);
        assertEquals(3_000, flow.ingest(ndjson).path("accepted").asLong());
        Profile movedIn = newcomers.get(String.format("E2E%08d", SMALL));
        Map<String, Long> perCountry = newcomers.values().stream()
                .filter(p -> p.eligible() && p != movedIn)
                .collect(Collectors.groupingBy(Profile::countryCode, Collectors.counting()));

        String audience = flow.createAudience("E2E customers again", "e2e");
        String routing = flow.createS3Routing("e2e-pressure", "e2e-pressure", "by-country");
        String configuration = flow.createConfiguration("e2e-pressure", routing);
        flow.api()
                .post(
                        flow.url("campaign-service") + "/pressure-rules",
                        Map.of(
                                "name",
                                "two a month per household",
                                "scope",
                                "HOUSEHOLD",
                                "maxContacts",
                                2,
                                "days",
                                30,
                                "configurationId",
                                configuration))
                .expect(201);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("nameTemplate", "{campaign.name}-{split}-{run.id}.csv");
        file.put("columns", new ArrayList<>(Workflow.COLUMNS));
        file.put("splitBy", "Country");
        String campaign = flow.createCampaign("E2E pressure", audience, configuration, file);
        JsonNode run = flow.awaitFinished(flow.activate(campaign), Duration.ofMinutes(5), r -> {});

        assertEquals("DELIVERED", run.path("status").asText(), run.toString());
        long eligibleBefore = mailedBefore;
        assertEquals(
                eligibleBefore + 1,
                run.path("counts").path("excluded").path("pressure").asLong(),
                "every customer mailed twice, and the newcomer living with one: " + run);
        long exported = perCountry.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(exported, run.path("counts").path("exported").asLong(), run.toString());
        assertEquals(exported, run.path("counts").path("delivered").asLong(), run.toString());

        // One file per country (each under the row cap), every newcomer exactly once, in its country's file.
        try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
            List<String> keys = ProviderClients.listS3(s3, "e2e-pressure", "by-country/").stream()
                    .map(S3Object::key)
                    .filter(k -> k.endsWith(".csv") && !k.contains("manifest"))
                    .toList();
            assertEquals(perCountry.size(), keys.size(), keys.toString());
            Set<String> seen = new HashSet<>();
            for (String key : keys) {
                String country = perCountry.keySet().stream()
                        .filter(c -> key.contains("-" + c + "-"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no country in " + key));
                byte[] bytes = ProviderClients.readS3(s3, "e2e-pressure", key);
                long rows = 0;
                try (CSVParser parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
                    for (CSVRecord row : parser) {
                        rows++;
                        String id = row.get("Customer ID");
                        assertTrue(seen.add(id), "once: " + id);
                        Profile p = newcomers.get(id);
                        assertTrue(p != null && p.eligible() && p != movedIn, "a newcomer not stopped: " + id);
                        assertEquals(country, row.get("Country"), key);
                    }
                }
                assertEquals(perCountry.get(country), rows, key);
                String sha256 = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                String name = key.substring("by-country/".length());
                JsonNode listed = null;
                for (JsonNode f : run.path("files")) {
                    if (f.path("name").asText().equals(name)) {
                        listed = f;
                    }
                }
                assertTrue(listed != null, name + " is in the run's report: " + run.path("files"));
                assertEquals(sha256, listed.path("sha256").asText(), name);
            }
            assertEquals(exported, seen.size());
        }

        // The new campaign's history: every row mailed, its cell the country it was split by.
        String csv = flow.api().getText(audienceUrl + "/campaigns/" + campaign + "/contacts", "text/csv");
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertEquals(
                        exported,
                        contactRows(flow.api()
                                        .getText(audienceUrl + "/campaigns/" + campaign + "/contacts", "text/csv"))
                                .size()));
        for (CSVRecord row :
                contactRows(flow.api().getText(audienceUrl + "/campaigns/" + campaign + "/contacts", "text/csv"))) {
            assertEquals(
                    newcomers.get(row.get("id")).countryCode(),
                    row.get("cell"),
                    csv.lines().findFirst().orElse(""));
        }
    }

    /** The rows of a contact-history CSV export. */
    private static List<CSVRecord> contactRows(String csv) throws IOException {
        try (CSVParser parser = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv))) {
            return parser.getRecords();
        }
    }

    private void report(String line) throws IOException {
        System.out.println(line);
        Files.writeString(
                dir.resolve("recovery.txt"),
                line + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Ingests {@code count} generated profiles of a batch and returns them by customer id. */
    private Map<String, Profile> ingest(String batch, int count) {
        Map<String, Profile> profiles = new HashMap<>();
        Path ndjson = dir.resolve(batch + ".ndjson");
        SyntheticProfiles.writeNdjson(ndjson, SEED, count, batch, p -> profiles.put(p.crmId(), p));
        JsonNode result = flow.ingest(ndjson);
        assertEquals(count, result.path("accepted").asLong(), result.toString());
        assertEquals(0, result.path("rejected").asLong(), result.toString());
        return profiles;
    }

    /**
     * The user's check: the checksum matches the run's report, the file ends with a newline, and the parsed
     * rows are exactly the consenting profiles, each once, with the right values.
     */
    private static void assertFile(byte[] bytes, JsonNode run, Map<String, Profile> expected) throws Exception {
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(run.path("file").path("sha256").asText(), sha256, "checksum of the delivered bytes");
        assertEquals(run.path("file").path("bytes").asLong(), bytes.length);
        assertTrue(bytes.length > 0 && bytes[bytes.length - 1] == '\n', "file ends with a newline");

        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> header = Workflow.COLUMNS.stream().map(c -> c.get("label")).toList();
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        try (CSVParser parser = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(text))) {
            assertEquals(header, parser.getHeaderNames());
            for (CSVRecord row : parser) {
                String id = row.get("Customer ID");
                if (!seen.add(id)) {
                    problems.add("duplicate row " + id);
                    continue;
                }
                Profile p = expected.get(id);
                if (p == null || !p.eligible()) {
                    problems.add("unexpected row " + id);
                    continue;
                }
                List<String> lines = p.lines();
                List<String> want = List.of(
                        p.crmId(),
                        p.title(),
                        p.firstName(),
                        p.lastName(),
                        line(lines, 0),
                        line(lines, 1),
                        line(lines, 2),
                        line(lines, 3),
                        nz(p.postalCode()),
                        p.city(),
                        p.countryCode(),
                        p.tier());
                List<String> got = new ArrayList<>();
                row.forEach(got::add);
                if (!want.equals(got)) {
                    problems.add("row " + id + " differs: " + got + " != " + want);
                }
            }
        }
        long consenting = expected.values().stream().filter(Profile::eligible).count();
        assertTrue(
                problems.isEmpty(),
                problems.size() + " problems, first: "
                        + problems.stream().limit(5).toList());
        assertEquals(consenting, seen.size(), "every consenting profile has a row");
    }

    /**
     * Simulate renders through the extraction-service's own writer: for a profile of the delivered file, the
     * preview's row is byte for byte the delivered row, and the header is the same.
     */
    private void assertSimulationMatches(String campaignId, String delivered, Map<String, Profile> expected) {
        List<String> lines = delivered.lines().toList();
        String firstRow = lines.get(1);
        Profile profile = expected.get(firstRow.substring(0, firstRow.indexOf(',')));
        Map<String, Object> body = Map.of(
                "profiles",
                List.of(MailshotApi.json().valueToTree(readTree(SyntheticProfiles.toJson(profile)))),
                "limit",
                5);
        JsonNode preview = flow.api()
                .post(flow.url("campaign-service") + "/campaigns/" + campaignId + "/simulate", body)
                .expect(200)
                .body();
        assertEquals(lines.get(0), preview.path("lines").path(0).asText(), preview.toString());
        assertEquals(firstRow, preview.path("lines").path(1).asText(), preview.toString());
    }

    private static JsonNode readTree(String json) {
        try {
            return MailshotApi.json().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest that the extraction-service writes beside a single-part file. */
    private static String manifest(String fileName) {
        return fileName.substring(0, fileName.lastIndexOf('.')) + ".manifest.json";
    }

    /** The manifest lists the one part with the row count and the checksum of the bytes delivered. */
    private static void assertManifest(byte[] bytes, JsonNode run) {
        JsonNode manifest = readTree(new String(bytes, StandardCharsets.UTF_8));
        String text = manifest.toString();
        assertTrue(text.contains(run.path("file").path("sha256").asText()), text);
        assertTrue(text.contains(run.path("id").asText()), text);
        assertTrue(
                text.contains("\"rows\":" + run.path("counts").path("exported").asLong()), text);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String line(List<String> lines, int i) {
        return i < lines.size() ? lines.get(i) : "";
    }

    private static void assertProblem(MailshotApi.Reply reply, int status, String field) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(field, reply.body().path("field").asText(), reply.body().toString());
        assertFalse(reply.body().path("rule").asText().isBlank(), reply.body().toString());
    }
}
