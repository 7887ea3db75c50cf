package io.mailshot.extraction.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.Actor;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.EventType;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionFailed;
import io.mailshot.events.ExtractionProgressed;
import io.mailshot.events.FileColumn;
import io.mailshot.events.ProfileStreamCancelled;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.RunCancelled;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SortKey;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.infra.PrometheusSamples;
import io.mailshot.infra.StagingTestClient;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The profile stream, end to end through real Kafka, PostgreSQL and S3: what is staged is checked by
 * downloading it with an independent S3 client and parsing it with an independent CSV parser.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class ExtractionFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SOURCE = "/mailshot/audience-service";
    private static final List<String> FIELDS =
            List.of("profile.firstName", "profile.lastName", "address.zip", "profile.note", "profile.unused");
    private static final List<FileColumn> COLUMNS = List.of(
            new FileColumn("Last name", "profile.lastName"),
            new FileColumn("First name", "profile.firstName"),
            new FileColumn("Zip, code", "address.zip"),
            new FileColumn("Note", "profile.note"));
    private static final String[] TRICKY = {
        "Smith",
        "O'Brien, Jr.",
        "say \"hi\"",
        "two\nlines",
        "cr\r\nlf",
        "😀 emoji 👍🏽",
        "עברית מימין לשמאל",
        null,
        "=1+2",
        "+33 6 12 34 56 78",
        "-5",
        "@user",
        " padded ",
        ""
    };

    private static KafkaTestClients kafka;
    private static S3Client s3;

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void clients() {
        if (kafka == null) {
            kafka = KafkaTestClients.recording(
                    config("kafka.bootstrap.servers"),
                    Topics.EXTRACTION_EVENTS,
                    ProfileStreamConsumer.DEAD_LETTER_TOPIC);
            s3 = StagingTestClient.create();
        }
    }

    @AfterAll
    static void closeClients() throws InterruptedException {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }

    @Test
    void a_complete_stream_is_staged_as_a_csv_file_matching_every_row() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        UUID campaignId = UUID.randomUUID();
        UUID routingId = UUID.randomUUID();
        RunSpec spec = new RunSpec("spring-mailing.csv", COLUMNS, routingId, "email");
        List<List<String>> values = rows("A", 500);

        send(runId, new ProfileStreamStarted(runId, attemptId, campaignId, "Spring", spec, FIELDS, Instant.now()));
        sendRows(runId, attemptId, values);
        send(runId, new ProfileStreamCompleted(runId, attemptId, 510, 500, new ExclusionCounts(4, 3, 2, 1, 0)));

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(campaignId, completed.campaignId());
        assertEquals(routingId, completed.routingId());
        assertEquals(500, completed.rows());
        StagedFile file = completed.files().get(0);
        assertEquals("spring-mailing.csv", file.name());
        assertEquals(config("mailshot.staging.bucket"), file.bucket());
        assertEquals("runs/" + runId + "/spring-mailing.csv", file.key());

        byte[] content = verifyStagedBytes(file);
        assertEquals(expectedRows(values), parseBody(content, List.of("Last name", "First name", "Zip, code", "Note")));
        assertEquals(
                1,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_STARTED.type())
                        .count());

        given().get("/extractions/{runId}", runId)
                .then()
                .statusCode(200)
                .body("runId", equalTo(runId.toString()))
                .body("status", equalTo("COMPLETED"))
                .body("attemptId", equalTo(attemptId.toString()))
                .body("rowsWritten", equalTo(500))
                .body("objectKey", equalTo(file.key()))
                .body("bytes", equalTo((int) file.bytes()))
                .body("sha256", equalTo(file.sha256()));
        assertFalse(Files.exists(Path.of("target/spill", runId.toString())), "spill files are deleted");
    }

    @Test
    void metrics_count_the_rows_as_they_are_rendered_and_the_parts_and_bytes_once_staged() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec = new RunSpec("metrics.csv", COLUMNS, UUID.randomUUID(), "email");
        List<List<String>> values = rows("M", 300);
        String rendered = Metrics.counterSeries(Metrics.ROWS_RENDERED);
        String bytes = Metrics.counterSeries(Metrics.STAGED_BYTES);
        String parts = Metrics.counterSeries(Metrics.STAGED_PARTS);
        String durations = Metrics.prometheus(Metrics.STAGE_DURATION) + "_seconds_count";
        String before = metrics();

        send(
                runId,
                new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Metrics", spec, FIELDS, Instant.now()));
        sendRows(runId, attemptId, values);
        // Before the completion marker: the rows are rendered and counted, nothing is staged yet.
        await().atMost(WAIT).until(() -> delta(before, metrics(), rendered) == values.size());
        String during = metrics();
        assertEquals(0, delta(before, during, parts), "no part is staged before the stream completes");
        assertEquals(0, delta(before, during, bytes));

        send(runId, new ProfileStreamCompleted(runId, attemptId, 300, 300, ExclusionCounts.none()));
        ExtractionCompleted completed = awaitCompleted(runId);
        StagedFile file = completed.files().get(0);
        verifyStagedBytes(file);
        await().atMost(WAIT)
                .until(() -> delta(before, metrics(), durations, "stage", "extraction", "outcome", "completed") == 1);
        String after = metrics();
        assertEquals(values.size(), delta(before, after, rendered));
        assertEquals(0, delta(before, after, Metrics.counterSeries(Metrics.ROWS_REJECTED)));
        assertEquals(1, delta(before, after, parts));
        assertEquals(file.bytes(), delta(before, after, bytes), "the staged object's size");
        // The progress bar's last figures: every row written, the part and its bytes staged (sent directly, so
        // they may arrive after the completion).
        await().atMost(WAIT)
                .until(() -> kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_PROGRESSED.type())
                        .map(r -> codec.decode(r).data(ExtractionProgressed.class))
                        .anyMatch(p -> p.equals(
                                new ExtractionProgressed(runId, values.size(), values.size(), 1L, file.bytes()))));
        assertTrue(after.contains("service=\"extraction-service\""), "every meter names its service");
        assertTrue(after.contains(Metrics.prometheus(Metrics.OUTBOX_BACKLOG) + "{"), "the outbox backlog gauge");
        assertTrue(after.contains(Metrics.prometheus(Metrics.OUTBOX_OLDEST_AGE) + "_seconds{"), "the outbox age gauge");
        assertTrue(
                after.contains(Metrics.prometheus(Metrics.STAGE_DURATION) + "_seconds_bucket{"),
                "stage durations are a histogram");
    }

    /** What an operator's scraper reads: {@code /q/metrics} is open without sign-in. */
    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static long delta(String before, String after, String series, String... labels) {
        return Math.round(PrometheusSamples.sum(after, series, labels) - PrometheusSamples.sum(before, series, labels));
    }

    @Test
    void a_large_file_is_uploaded_in_parts_and_arrives_intact() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec = new RunSpec("large.csv", COLUMNS, UUID.randomUUID(), "email");
        int count = 60_000; // ~7 MiB: above the 5 MiB test threshold, so at least two parts
        List<List<String>> values = new ArrayList<>(count);
        String filler = "lorem ipsum dolor sit amet ".repeat(4);
        for (int i = 1; i <= count; i++) {
            values.add(Arrays.asList("First" + i, "Last" + i, String.format("%05d", i % 1000), filler + i, null));
        }
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Big", spec, FIELDS, Instant.now()));
        sendRows(runId, attemptId, values);
        send(runId, new ProfileStreamCompleted(runId, attemptId, count, count, ExclusionCounts.none()));

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(count, completed.rows());
        StagedFile file = completed.files().get(0);
        assertTrue(file.bytes() > 5L * 1024 * 1024, "the file is large enough to need a multipart upload");
        byte[] content = verifyStagedBytes(file);
        assertEquals(expectedRows(values), parseBody(content, List.of("Last name", "First name", "Zip, code", "Note")));
    }

    @Test
    void an_interrupted_attempt_is_discarded_and_the_completed_attempt_is_staged_once() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptA = UUID.randomUUID();
        UUID attemptB = UUID.randomUUID();
        RunSpec spec = new RunSpec("retry.csv", COLUMNS, UUID.randomUUID(), "email");
        send(runId, new ProfileStreamStarted(runId, attemptA, UUID.randomUUID(), "Retry", spec, FIELDS, Instant.now()));
        sendRows(runId, attemptA, rows("A", 30));
        // Attempt A dies without its completion marker; resolution restarts as attempt B.
        List<List<String>> valuesB = rows("B", 20);
        send(runId, new ProfileStreamStarted(runId, attemptB, UUID.randomUUID(), "Retry", spec, FIELDS, Instant.now()));
        sendRows(runId, attemptB, valuesB);
        // Producer retries of B's rows, in a batch of one or of several, must not duplicate them.
        send(runId, new ProfilesStreamed(runId, attemptB, 3, List.of("p3"), List.of(valuesB.get(2))));
        send(runId, new ProfilesStreamed(runId, attemptB, 2, List.of("p2", "p3", "p4"), valuesB.subList(1, 4)));
        send(runId, new ProfileStreamCompleted(runId, attemptB, 20, 20, ExclusionCounts.none()));

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(20, completed.rows());
        byte[] content = verifyStagedBytes(completed.files().get(0));
        assertEquals(
                expectedRows(valuesB), parseBody(content, List.of("Last name", "First name", "Zip, code", "Note")));
        given().get("/extractions/{runId}", runId)
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("attemptId", equalTo(attemptB.toString()));
        assertFalse(Files.exists(Path.of("target/spill", runId.toString())), "both attempts' spill files are deleted");
    }

    @Test
    void a_run_resolved_in_slices_is_staged_once_every_slice_completed_in_slice_order() throws Exception {
        // Unsorted: stream order is slice 0's rows, then slice 1's, then slice 2's, whatever order they arrived in.
        UUID runId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "sliced.csv",
                COLUMNS,
                UUID.randomUUID(),
                "email",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "exports/2026-11");
        List<List<List<String>>> bySlice = streamSlices(runId, spec);
        ExtractionCompleted completed = awaitCompleted(runId);
        List<List<String>> all = new ArrayList<>();
        bySlice.forEach(all::addAll);
        assertEquals(all.size(), completed.rows());
        assertEquals("exports/2026-11", completed.folder(), "the run folder travels to the delivery");
        byte[] content = verifyStagedBytes(completed.files().get(0));
        assertEquals(expectedRows(all), parseBody(content, List.of("Last name", "First name", "Zip, code", "Note")));
        assertFalse(Files.exists(Path.of("target/spill", runId.toString())), "every attempt's spill files are deleted");

        // Sorted: the slices' sorted spills are merged; equal keys keep (slice, seq) order.
        UUID sortedRun = UUID.randomUUID();
        RunSpec sorted = new RunSpec(
                "sliced-sorted.csv",
                COLUMNS,
                UUID.randomUUID(),
                "email",
                null,
                List.of(new SortKey("Zip, code", "ASC")),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        List<List<List<String>>> sortedSlices = streamSlices(sortedRun, sorted);
        List<List<String>> expected = new ArrayList<>();
        for (int zip = 1; zip <= 40; zip++) {
            for (List<List<String>> slice : sortedSlices) {
                for (List<String> row : slice) {
                    if (row.get(2).equals(String.format("%05d", zip))) {
                        expected.add(row);
                    }
                }
            }
        }
        ExtractionCompleted sortedDone = awaitCompleted(sortedRun);
        assertEquals(expected.size(), sortedDone.rows());
        assertEquals(
                expectedRows(expected),
                parseBody(
                        verifyStagedBytes(sortedDone.files().get(0)),
                        List.of("Last name", "First name", "Zip, code", "Note")));
    }

    @Test
    void a_slice_that_does_not_fit_the_run_fails_it_with_the_reason() throws Exception {
        UUID runId = UUID.randomUUID();
        RunSpec spec = new RunSpec("misfit.csv", COLUMNS, UUID.randomUUID(), "email");
        send(
                runId,
                new ProfileStreamStarted(
                        runId, UUID.randomUUID(), UUID.randomUUID(), "Misfit", spec, FIELDS, Instant.now(), 0, 2));
        send(
                runId,
                new ProfileStreamStarted(
                        runId, UUID.randomUUID(), UUID.randomUUID(), "Misfit", spec, FIELDS, Instant.now(), 1, 3));
        assertTrue(awaitFailed(runId).reason().contains("slice 1 of 3"), "the reason names the misfit slice");
    }

    /**
     * Streams three slices interleaved the way three replicas would: slice 2 completes first, slice 1's first
     * attempt dies half-way and its second attempt completes, slice 0 completes last. Returns each slice's rows.
     */
    private List<List<List<String>>> streamSlices(UUID runId, RunSpec spec) {
        UUID[] attempts = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        UUID retry = UUID.randomUUID();
        List<List<List<String>>> bySlice = List.of(rows("S0", 15), rows("S1", 25), rows("S2", 40));
        for (int slice = 0; slice < 3; slice++) {
            send(
                    runId,
                    new ProfileStreamStarted(
                            runId,
                            attempts[slice],
                            UUID.randomUUID(),
                            "Sliced",
                            spec,
                            FIELDS,
                            Instant.now(),
                            slice,
                            3));
        }
        sendRows(runId, attempts[2], bySlice.get(2));
        sendRows(runId, attempts[1], bySlice.get(1).subList(0, 10));
        send(runId, new ProfileStreamCompleted(runId, attempts[2], 40, 40, ExclusionCounts.none(), 2, 3));
        // Slice 1's replica died: its attempt never completes, a new attempt streams the slice again.
        send(
                runId,
                new ProfileStreamStarted(runId, retry, UUID.randomUUID(), "Sliced", spec, FIELDS, Instant.now(), 1, 3));
        sendRows(runId, attempts[0], bySlice.get(0));
        sendRows(runId, retry, bySlice.get(1));
        send(runId, new ProfileStreamCompleted(runId, retry, 25, 25, ExclusionCounts.none(), 1, 3));
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count(),
                "nothing is staged while a slice is missing");
        send(runId, new ProfileStreamCompleted(runId, attempts[0], 15, 15, ExclusionCounts.none(), 0, 3));
        return bySlice;
    }

    @Test
    void a_cancelled_run_stages_and_announces_nothing_even_if_its_marker_follows() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attempt = UUID.randomUUID();
        RunSpec spec = new RunSpec("cancelled.csv", COLUMNS, UUID.randomUUID(), "email");
        send(runId, new ProfileStreamStarted(runId, attempt, UUID.randomUUID(), "Cancel", spec, FIELDS, Instant.now()));
        sendRows(runId, attempt, rows("C", 25));
        send(runId, new ProfileStreamCancelled(runId, attempt));
        // A marker that raced the cancellation must not revive the run.
        send(runId, new ProfileStreamCompleted(runId, attempt, 25, 25, ExclusionCounts.none()));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/extractions/{runId}", runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("CANCELLED")));
        // Later runs on the same partition complete, so the cancelled one no longer holds the offsets back.
        UUID sentinel = kafka.keyOnSamePartitionAs(Topics.PROFILES, runId);
        UUID sentinelAttempt = UUID.randomUUID();
        send(
                sentinel,
                new ProfileStreamStarted(
                        sentinel, sentinelAttempt, UUID.randomUUID(), "After", spec, FIELDS, Instant.now()));
        sendRows(sentinel, sentinelAttempt, rows("S", 3));
        send(sentinel, new ProfileStreamCompleted(sentinel, sentinelAttempt, 3, 3, ExclusionCounts.none()));
        awaitCompleted(sentinel);
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .count());
        assertFalse(Files.exists(Path.of("target/spill", runId.toString())), "the spill files are deleted");
    }

    @Test
    void a_replayed_stream_or_repeated_marker_for_a_finished_run_publishes_nothing_more() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec = new RunSpec("once.csv", COLUMNS, UUID.randomUUID(), "email");
        ProfileStreamStarted start =
                new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Once", spec, FIELDS, Instant.now());
        List<List<String>> values = rows("O", 10);
        ProfileStreamCompleted marker = new ProfileStreamCompleted(runId, attemptId, 10, 10, ExclusionCounts.none());
        send(runId, start);
        sendRows(runId, attemptId, values);
        send(runId, marker);
        ExtractionCompleted first = awaitCompleted(runId);

        // The same stream again, a repeated marker, and a later attempt: the first completed attempt won.
        send(runId, start);
        sendRows(runId, attemptId, values);
        send(runId, marker);
        send(runId, marker);
        UUID later = UUID.randomUUID();
        send(runId, new ProfileStreamStarted(runId, later, UUID.randomUUID(), "Once", spec, FIELDS, Instant.now()));
        sendRows(runId, later, rows("L", 3));
        send(runId, new ProfileStreamCompleted(runId, later, 3, 3, ExclusionCounts.none()));

        // A sentinel run on the same partitions: once it is done, everything sent before it was handled.
        assertEquals(
                kafka.producer.partitionsFor(Topics.PROFILES).size(),
                kafka.producer.partitionsFor(Topics.EXTRACTION_EVENTS).size());
        UUID sentinel = kafka.keyOnSamePartitionAs(Topics.PROFILES, runId);
        UUID sentinelAttempt = UUID.randomUUID();
        send(
                sentinel,
                new ProfileStreamStarted(
                        sentinel,
                        sentinelAttempt,
                        UUID.randomUUID(),
                        "Sentinel",
                        new RunSpec("sentinel.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(sentinel, sentinelAttempt, rows("S", 1));
        send(sentinel, new ProfileStreamCompleted(sentinel, sentinelAttempt, 1, 1, ExclusionCounts.none()));
        awaitCompleted(sentinel);

        assertEquals(
                1,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .count());
        byte[] content = verifyStagedBytes(first.files().get(0));
        assertEquals(expectedRows(values), parseBody(content, List.of("Last name", "First name", "Zip, code", "Note")));
    }

    @Test
    void a_malformed_record_is_dead_lettered_with_a_reason_and_the_next_run_still_completes() throws Exception {
        UUID badKey = UUID.randomUUID();
        ProducerRecord<String, String> bad = codec.encode(
                Topics.PROFILES,
                badKey.toString(),
                UUID.randomUUID().toString(),
                EventType.PROFILES_STREAMED.type(),
                SOURCE,
                Instant.now(),
                "{not json");
        kafka.producer.send(bad).get();
        UUID noHeadersKey = UUID.randomUUID();
        kafka.producer
                .send(new ProducerRecord<>(Topics.PROFILES, null, noHeadersKey.toString(), "{}", new RecordHeaders()))
                .get();

        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        List<List<String>> values = rows("M", 5);
        send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        attemptId,
                        UUID.randomUUID(),
                        "After",
                        new RunSpec("after.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, attemptId, values);
        send(runId, new ProfileStreamCompleted(runId, attemptId, 5, 5, ExclusionCounts.none()));

        await().atMost(WAIT)
                .until(() -> kafka.recorded(ProfileStreamConsumer.DEAD_LETTER_TOPIC, badKey, null)
                                        .count()
                                == 1
                        && kafka.recorded(ProfileStreamConsumer.DEAD_LETTER_TOPIC, noHeadersKey, null)
                                        .count()
                                == 1);
        ConsumerRecord<String, String> dead = kafka.recorded(ProfileStreamConsumer.DEAD_LETTER_TOPIC, badKey, null)
                .findFirst()
                .orElseThrow();
        assertEquals("{not json", dead.value(), "the original value is kept");
        assertEquals(EventType.PROFILES_STREAMED.type(), KafkaTestClients.header(dead, CloudEventHeaders.TYPE));
        String reason = KafkaTestClients.header(dead, CloudEventHeaders.DEAD_LETTER_REASON);
        assertNotNull(reason);
        assertTrue(reason.contains("not a valid"), reason);
        String missing = KafkaTestClients.header(
                kafka.recorded(ProfileStreamConsumer.DEAD_LETTER_TOPIC, noHeadersKey, null)
                        .findFirst()
                        .orElseThrow(),
                CloudEventHeaders.DEAD_LETTER_REASON);
        assertTrue(missing.contains("ce_specversion"), missing);

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(
                expectedRows(values),
                parseBody(
                        verifyStagedBytes(completed.files().get(0)),
                        List.of("Last name", "First name", "Zip, code", "Note")));
    }

    @Test
    void an_unsafe_file_name_fails_the_run_with_a_clear_reason() {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        attemptId,
                        UUID.randomUUID(),
                        "Evil",
                        new RunSpec("../../etc/passwd", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, attemptId, rows("E", 2));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 2, 2, ExclusionCounts.none()));

        ExtractionFailed failed = awaitFailed(runId);
        assertTrue(failed.reason().contains("folders"), failed.reason());
        given().get("/extractions/{runId}", runId)
                .then()
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("folders"));
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
    }

    @Test
    void a_row_count_mismatch_fails_the_run() {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        attemptId,
                        UUID.randomUUID(),
                        "Short",
                        new RunSpec("short.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, attemptId, rows("S", 3));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 5, 5, ExclusionCounts.none()));

        ExtractionFailed failed = awaitFailed(runId);
        assertTrue(failed.reason().startsWith("row count mismatch"), failed.reason());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
    }

    @Test
    void progress_is_reported_and_offsets_stay_at_the_start_of_an_unfinished_run() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RecordMetadata start = send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        attemptId,
                        UUID.randomUUID(),
                        "Live",
                        new RunSpec("live.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, attemptId, rows("P", 7));

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/extractions/{runId}", runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("IN_PROGRESS"))
                        .body("attemptId", equalTo(attemptId.toString()))
                        .body("rowsWritten", equalTo(7)));
        // Crash safety: while the run is unfinished, the group's committed offset never passes its first record,
        // so a killed instance replays the run from its start.
        TopicPartition partition = new TopicPartition(start.topic(), start.partition());
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers")))) {
            await().atMost(WAIT).until(() -> committed(admin, partition) == start.offset());
            // The operator's consumer-lag gauge counts the unfinished run's records, as KEDA would.
            long runRecords = endOffset(admin, partition) - start.offset();
            long during = lag();
            assertTrue(during >= runRecords, "lag " + during + " counts the run's " + runRecords + " records");

            RecordMetadata marker =
                    send(runId, new ProfileStreamCompleted(runId, attemptId, 7, 7, ExclusionCounts.none()));
            awaitCompleted(runId);
            given().get("/extractions/{runId}", runId).then().statusCode(200).body("status", equalTo("COMPLETED"));
            await().atMost(WAIT).until(() -> committed(admin, partition) > marker.offset());
            // Staged and committed: the run's records no longer count.
            await().atMost(WAIT).until(() -> lag() <= during - runRecords);
        }
    }

    private static long endOffset(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get()
                .offset();
    }

    /** The consumer-lag gauge of extraction's group on the profile stream, as {@code /q/metrics} shows it. */
    private static long lag() {
        return Math.round(PrometheusSamples.sum(
                metrics(),
                Metrics.prometheus(Metrics.CONSUMER_LAG),
                Metrics.GROUP,
                "extraction-service",
                Metrics.TOPIC,
                Topics.PROFILES));
    }

    private static long committed(Admin admin, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets("extraction-service")
                .partitionsToOffsetAndMetadata()
                .get()
                .get(partition);
        return offset == null ? -1 : offset.offset();
    }

    @Test
    void a_run_whose_staging_is_refused_fails_after_its_tries_while_the_next_run_in_its_partition_is_staged()
            throws Exception {
        UUID failing = UUID.randomUUID();
        UUID attempt = UUID.randomUUID();
        blockStaging(failing);
        RunSpec spec = new RunSpec("refused.csv", COLUMNS, UUID.randomUUID(), "email");
        RecordMetadata start = send(
                failing,
                new ProfileStreamStarted(failing, attempt, UUID.randomUUID(), "Refused", spec, FIELDS, Instant.now()));
        sendRows(failing, attempt, rows("R", 12));
        send(failing, new ProfileStreamCompleted(failing, attempt, 12, 12, ExclusionCounts.none()));

        // Behind it, in the same partition: before, a run that could not be staged stopped every later one.
        UUID next = runInPartition(start.partition());
        UUID nextAttempt = UUID.randomUUID();
        List<List<String>> values = rows("N", 9);
        send(
                next,
                new ProfileStreamStarted(
                        next,
                        nextAttempt,
                        UUID.randomUUID(),
                        "Next",
                        new RunSpec("next.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(next, nextAttempt, values);
        send(next, new ProfileStreamCompleted(next, nextAttempt, 9, 9, ExclusionCounts.none()));

        ExtractionCompleted completed = awaitCompleted(next);
        assertEquals(
                expectedRows(values),
                parseBody(
                        verifyStagedBytes(completed.files().get(0)),
                        List.of("Last name", "First name", "Zip, code", "Note")));

        ExtractionFailed failed = awaitFailed(failing);
        int tries = Integer.parseInt(config("mailshot.retry.max-tries"));
        assertTrue(failed.reason().startsWith("gave up after " + tries + " tries: "), failed.reason());
        assertEquals(tries, triesOf(failing));
        // The next run was staged while the failing one was still being tried, not after it gave up.
        assertTrue(
                recordTime(next, EventType.EXTRACTION_COMPLETED) <= recordTime(failing, EventType.EXTRACTION_FAILED));
        given().get("/extractions/{runId}", failing)
                .then()
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("reason", equalTo(failed.reason()));
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, failing, EventType.EXTRACTION_COMPLETED.type())
                        .count());
        assertFalse(Files.exists(Path.of("target/spill", failing.toString())), "spill files are deleted");
        // Its partition moves on: the committed offset passes the failed run.
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers")))) {
            TopicPartition partition = new TopicPartition(start.topic(), start.partition());
            await().atMost(WAIT).until(() -> committed(admin, partition) > start.offset());
        }
    }

    @Test
    void a_run_cancelled_while_it_waits_for_its_next_try_is_never_tried_again() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attempt = UUID.randomUUID();
        blockStaging(runId);
        send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        attempt,
                        UUID.randomUUID(),
                        "Cancel me",
                        new RunSpec("cancel-me.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, attempt, rows("C", 5));
        send(runId, new ProfileStreamCompleted(runId, attempt, 5, 5, ExclusionCounts.none()));
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> given().get("/extractions/{runId}", runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("RETRY_SCHEDULED"))
                        .body("reason", containsString("Exception")));

        kafka.producer
                .send(codec.encode(
                        Topics.RUN_CANCELLATIONS,
                        runId.toString(),
                        "/mailshot/campaign-service",
                        new RunCancelled(runId, "cancelled by test", Actor.SYSTEM)))
                .get();
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/extractions/{runId}", runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("CANCELLED")));
        int tries = triesOf(runId);
        assertTrue(tries < Integer.parseInt(config("mailshot.retry.max-tries")), "cancelled before its last try");
        // Longer than every remaining back-off: no further try, no failure, nothing staged.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> triesOf(runId) == tries
                        && kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                                        .count()
                                == 0
                        && kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                                        .count()
                                == 0);

        // A replay of its stream (as after a crash) is skipped too.
        UUID replay = UUID.randomUUID();
        send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        replay,
                        UUID.randomUUID(),
                        "Cancel me",
                        new RunSpec("cancel-me.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, replay, rows("C", 5));
        send(runId, new ProfileStreamCompleted(runId, replay, 5, 5, ExclusionCounts.none()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> triesOf(runId) == tries);
        given().get("/extractions/{runId}", runId).then().statusCode(200).body("status", equalTo("CANCELLED"));
    }

    @Test
    void a_run_that_kept_killing_the_service_fails_at_its_next_start_with_the_last_error() throws Exception {
        // What a crash loop leaves behind: every try counted, the last error recorded, then the process died.
        UUID runId = UUID.randomUUID();
        int tries = Integer.parseInt(config("mailshot.retry.max-tries"));
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into run_try (stage, run_id, tries, last_error, updated_at) values ('extraction', ?, ?, ?, now())")) {
            insert.setObject(1, runId);
            insert.setInt(2, tries);
            insert.setString(3, "OutOfMemoryError: Java heap space");
            insert.executeUpdate();
        }
        UUID attempt = UUID.randomUUID();
        send(
                runId,
                new ProfileStreamStarted(
                        runId,
                        attempt,
                        UUID.randomUUID(),
                        "Crash loop",
                        new RunSpec("loop.csv", COLUMNS, UUID.randomUUID(), "email"),
                        FIELDS,
                        Instant.now()));
        sendRows(runId, attempt, rows("L", 3));
        send(runId, new ProfileStreamCompleted(runId, attempt, 3, 3, ExclusionCounts.none()));

        ExtractionFailed failed = awaitFailed(runId);
        assertEquals("gave up after " + tries + " tries: OutOfMemoryError: Java heap space", failed.reason());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
    }

    @Test
    void unknown_or_invalid_run_ids_are_problems() {
        given().get("/extractions/{runId}", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        given().get("/extractions/not-a-uuid")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("runId"))
                .body("rule", equalTo("uuid"));
    }

    @Test
    void readiness_reports_the_consumer_and_the_bucket_up() {
        await().atMost(WAIT)
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    // ---- helpers ----

    /**
     * Makes the staging bucket refuse every object of one run, as a store does for a prefix it may not write: a
     * plain file where the run's folder would go (the local S3 server keeps objects as files).
     */
    private static void blockStaging(UUID runId) throws IOException {
        Path runs = InfraTestResource.infra()
                .s3()
                .bucketFolder(config("mailshot.staging.bucket"))
                .resolve("runs");
        Files.createDirectories(runs);
        Files.writeString(runs.resolve(runId.toString()), "not a folder");
    }

    /** A new run id that the producer's partitioner puts in {@code partition} of the profile stream. */
    private static UUID runInPartition(int partition) throws Exception {
        int partitions;
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers")))) {
            partitions = admin.describeTopics(List.of(Topics.PROFILES))
                    .allTopicNames()
                    .get()
                    .get(Topics.PROFILES)
                    .partitions()
                    .size();
        }
        while (true) {
            UUID candidate = UUID.randomUUID();
            byte[] key = candidate.toString().getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % partitions == partition) {
                return candidate;
            }
        }
    }

    /** How many tries the extraction has counted for the run. */
    private int triesOf(UUID runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("select tries from run_try where stage = 'extraction' and run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** When the run's first event of that type was produced. */
    private static long recordTime(UUID runId, EventType type) {
        return kafka.recorded(Topics.EXTRACTION_EVENTS, runId, type.type())
                .findFirst()
                .orElseThrow()
                .timestamp();
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    /** Profiles with tricky values; the last field is streamed but not a column. */
    private static List<List<String>> rows(String prefix, int count) {
        List<List<String>> rows = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            rows.add(Arrays.asList(
                    prefix + "-first-" + i,
                    TRICKY[i % TRICKY.length],
                    String.format("%05d", i),
                    i % 3 == 0 ? null : "note " + i + ", " + TRICKY[(i * 7) % TRICKY.length],
                    "unused"));
        }
        return rows;
    }

    /** What the file must contain for these profiles: columns reordered, null empty, formulas neutralised. */
    private static List<List<String>> expectedRows(List<List<String>> values) {
        List<List<String>> expected = new ArrayList<>(values.size());
        for (List<String> v : values) {
            expected.add(List.of(cell(v.get(1)), cell(v.get(0)), cell(v.get(2)), cell(v.get(3))));
        }
        return expected;
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private RecordMetadata send(UUID runId, Record data) {
        try {
            return kafka.producer
                    .send(codec.encode(Topics.PROFILES, runId.toString(), SOURCE, data))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Streams the rows as the audience-service does: in batches of consecutive profiles (an odd size, so batches
     * end anywhere), with the first row alone in a batch of one.
     */
    private void sendRows(UUID runId, UUID attemptId, List<List<String>> values) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
        if (!values.isEmpty()) {
            acks.add(kafka.producer.send(codec.encode(
                    Topics.PROFILES,
                    runId.toString(),
                    SOURCE,
                    new ProfilesStreamed(runId, attemptId, 1, List.of("profile-1"), List.of(values.get(0))))));
        }
        for (int from = 1; from < values.size(); from += 7) {
            int to = Math.min(values.size(), from + 7);
            List<String> ids = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ids.add("profile-" + (i + 1));
            }
            acks.add(kafka.producer.send(codec.encode(
                    Topics.PROFILES,
                    runId.toString(),
                    SOURCE,
                    new ProfilesStreamed(runId, attemptId, from + 1, ids, values.subList(from, to)))));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ExtractionCompleted awaitCompleted(UUID runId) {
        await().atMost(WAIT)
                .until(() -> kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .findAny()
                        .isPresent());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .count());
        return codec.decode(kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .findFirst()
                        .orElseThrow())
                .data(ExtractionCompleted.class);
    }

    private ExtractionFailed awaitFailed(UUID runId) {
        await().atMost(WAIT)
                .until(() -> kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .findAny()
                        .isPresent());
        return codec.decode(kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .findFirst()
                        .orElseThrow())
                .data(ExtractionFailed.class);
    }

    /** Downloads the staged object and checks its size, hash and final newline against the event. */
    private static byte[] verifyStagedBytes(StagedFile file) throws Exception {
        byte[] content = s3.getObjectAsBytes(b -> b.bucket(file.bucket()).key(file.key()))
                .asByteArray();
        assertEquals(file.bytes(), content.length, "bytes in the event");
        assertEquals(
                file.sha256(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                "sha256 in the event");
        assertEquals('\n', content[content.length - 1], "the file ends with a newline");
        return content;
    }

    /** Parses the file with Commons CSV, checks the header, returns the data rows. */
    private static List<List<String>> parseBody(byte[] content, List<String> header) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser =
                CSVParser.parse(new StringReader(new String(content, StandardCharsets.UTF_8)), CSVFormat.RFC4180)) {
            boolean first = true;
            for (CSVRecord record : parser) {
                if (first) {
                    assertEquals(header, record.toList(), "header row");
                    first = false;
                } else {
                    rows.add(record.toList());
                }
            }
        }
        return rows;
    }
}
