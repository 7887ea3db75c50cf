package io.mailshot.extraction.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.EventType;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionFailed;
import io.mailshot.events.FileColumn;
import io.mailshot.events.FileFormat;
import io.mailshot.events.ProfileErased;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SeedRecord;
import io.mailshot.events.SortKey;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.events.files.StagingLayout;
import io.mailshot.extraction.service.run.StagingRetention;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.infra.StagingTestClient;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Expressions, formats, sort, split, seeds, compression, manifest, preview and retention through the real
 * service: files are downloaded with an independent S3 client and read with independent readers.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class FileFeaturesFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SOURCE = "/mailshot/audience-service";
    private static final Instant REQUESTED = Instant.parse("2026-03-01T09:30:00Z");
    private static final List<String> FIELDS = List.of("person.title", "person.lastName", "address.zip");
    private static final List<FileColumn> COLUMNS = List.of(
            new FileColumn(
                    "Greeting",
                    null,
                    "concat(default(person.title, 'Dear customer'), ' ', capitalize(person.lastName))",
                    null,
                    null,
                    null,
                    null),
            new FileColumn("Zip", "address.zip"),
            new FileColumn("Code", null, "const.promo", null, null, null, null),
            new FileColumn("Sent", null, "formatDate(run.date, 'dd/MM/yyyy')", null, null, null, null));

    private static KafkaTestClients kafka;
    private static S3Client s3;

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @Inject
    StagingRetention retention;

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
    void a_sorted_split_latin1_gzip_run_with_seeds_expressions_and_a_manifest_is_staged_as_defined() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        UUID campaignId = UUID.randomUUID();
        FileFormat format = new FileFormat(
                null,
                null,
                null,
                null,
                null,
                "ISO_8859_1",
                "REJECT_ROW",
                "CRLF",
                null,
                "GZIP",
                null,
                null,
                null,
                null,
                null,
                true);
        RunSpec spec = new RunSpec(
                "spring-{part:03}.csv",
                COLUMNS,
                UUID.randomUUID(),
                "email",
                format,
                List.of(new SortKey("Zip", "ASC")),
                3,
                List.of(new SeedRecord(Map.of("Greeting", "SEED", "Zip", "00000"))),
                "START",
                FIELDS,
                Map.of("promo", "SPRING24"),
                null,
                null,
                null);
        List<List<String>> values = List.of(
                Arrays.asList("Mr", "MÜLLER", "20095"),
                Arrays.asList(null, "o'neil", "01000"),
                Arrays.asList("Ms", "wałęsa", "00001"), // Latin-1 cannot hold ł or ę: rejected
                Arrays.asList("=HYPERLINK(1)", "doe", "01000"),
                Arrays.asList("Mx", "lee", "00500"),
                Arrays.asList(null, "durand", "01000"),
                Arrays.asList("Mme", "zoë", "99999"));
        send(runId, new ProfileStreamStarted(runId, attemptId, campaignId, "Spring", spec, FIELDS, REQUESTED));
        sendRows(runId, attemptId, values);
        send(runId, new ProfileStreamCompleted(runId, attemptId, 7, 7, ExclusionCounts.none()));

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(6, completed.rows());
        assertEquals(2, completed.seedRows());
        assertEquals(1, completed.rejectedRows());
        assertEquals(
                List.of("spring-001.csv.gz", "spring-002.csv.gz"),
                completed.files().stream().map(StagedFile::name).toList());

        List<List<String>> part1 = readGzipLatin1Csv(completed.files().get(0));
        List<List<String>> part2 = readGzipLatin1Csv(completed.files().get(1));
        List<String> header = List.of("Greeting", "Zip", "Code", "Sent");
        assertEquals(header, part1.get(0));
        assertEquals(header, part2.get(0));
        assertEquals(
                List.of(
                        List.of("SEED", "00000", "", ""),
                        List.of("Mx Lee", "00500", "SPRING24", "01/03/2026"),
                        List.of("Dear customer O'neil", "01000", "SPRING24", "01/03/2026"),
                        List.of("'=HYPERLINK(1) Doe", "01000", "SPRING24", "01/03/2026")),
                part1.subList(1, part1.size()),
                "sorted by zip, stream order kept on equal zips, formula neutralised, leading zeros kept");
        assertEquals(
                List.of(
                        List.of("SEED", "00000", "", ""),
                        List.of("Dear customer Durand", "01000", "SPRING24", "01/03/2026"),
                        List.of("Mr Müller", "20095", "SPRING24", "01/03/2026"),
                        List.of("Mme Zoë", "99999", "SPRING24", "01/03/2026")),
                part2.subList(1, part2.size()));

        // The manifest, staged last, describes the bytes that were staged.
        StagedFile manifestFile = completed.manifest();
        assertEquals("runs/" + runId + "/manifest.json", manifestFile.key());
        assertEquals("spring.manifest.json", manifestFile.name());
        byte[] manifestBytes = download(manifestFile);
        JsonNode manifest = new ObjectMapper().readTree(manifestBytes);
        assertEquals(runId.toString(), manifest.get("runId").asText());
        assertEquals(campaignId.toString(), manifest.get("campaignId").asText());
        assertEquals(1, manifest.get("schemaVersion").asInt());
        assertEquals(2, manifest.get("parts").size());
        long totalBytes = 0;
        for (int i = 0; i < 2; i++) {
            JsonNode part = manifest.get("parts").get(i);
            StagedFile file = completed.files().get(i);
            byte[] staged = s3.getObjectAsBytes(
                            b -> b.bucket(file.bucket()).key(part.get("key").asText()))
                    .asByteArray();
            assertEquals(sha256(staged), part.get("sha256").asText(), "manifest checksum of part " + (i + 1));
            assertEquals(staged.length, part.get("bytes").asLong());
            assertEquals(file.name(), part.get("name").asText());
            assertEquals(3, part.get("rows").asLong());
            assertEquals(1, part.get("seedRows").asLong());
            totalBytes += staged.length;
        }
        JsonNode totals = manifest.get("totals");
        assertEquals(6, totals.get("rows").asLong());
        assertEquals(2, totals.get("seedRows").asLong());
        assertEquals(1, totals.get("rejectedRows").asLong());
        assertEquals(totalBytes, totals.get("bytes").asLong());
        assertEquals(
                "row 3, column 'Greeting': a character cannot be encoded in ISO_8859_1",
                manifest.get("rejections").get(0).asText());

        // The trigger file is announced with its own checksum, for delivery to publish after the manifest.
        assertEquals("runs/" + runId + "/manifest.csv", completed.trigger().key());
        byte[] triggerBytes = s3.getObjectAsBytes(
                        b -> b.bucket(manifestFile.bucket()).key("runs/" + runId + "/manifest.csv"))
                .asByteArray();
        assertEquals(completed.trigger().bytes(), triggerBytes.length);
        assertEquals(
                completed.trigger().sha256(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(triggerBytes)));
        String trigger = new String(triggerBytes, StandardCharsets.UTF_8);
        List<List<String>> triggerRows = parse(trigger, CSVFormat.RFC4180);
        assertEquals(
                List.of("run_id", "campaign_id", "part", "name", "rows", "seed_rows", "bytes", "sha256"),
                triggerRows.get(0));
        assertEquals(completed.files().get(1).sha256(), triggerRows.get(2).get(7));

        given().get("/extractions/{runId}", runId)
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("parts", equalTo(2))
                .body("seedRows", equalTo(2))
                .body("rejectedRows", equalTo(1))
                .body("manifestKey", equalTo(manifestFile.key()));
    }

    @Test
    void an_expression_error_fails_the_run_naming_column_and_position() {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "bad.csv",
                List.of(new FileColumn("Name", null, "upper(shout(person.lastName))", null, null, null, null)),
                UUID.randomUUID(),
                "email");
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Bad", spec, FIELDS, REQUESTED));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 0, 0, ExclusionCounts.none()));
        ExtractionFailed failed = awaitFailed(runId);
        assertEquals("column 'Name': expression error at position 6: unknown function 'shout'", failed.reason());
    }

    @Test
    void a_delimiter_in_an_unquoted_value_fails_the_run_naming_row_and_column() {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        FileFormat pipes = new FileFormat(
                "DELIMITED", "|", "", null, null, null, null, null, null, null, null, null, null, null, null, null);
        RunSpec spec = new RunSpec(
                "pipes.txt",
                List.of(new FileColumn("Name", "person.lastName"), new FileColumn("Zip", "address.zip")),
                UUID.randomUUID(),
                "email",
                pipes,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Pipes", spec, FIELDS, REQUESTED));
        sendRows(runId, attemptId, List.of(Arrays.asList(null, "ok", "1"), Arrays.asList(null, "a|b", "2")));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 2, 2, ExclusionCounts.none()));
        ExtractionFailed failed = awaitFailed(runId);
        assertEquals(
                "row 2, column 'Name': the value holds the delimiter or a line break, and the format has no quoting",
                failed.reason());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
    }

    @Test
    void a_value_that_breaks_an_expression_bound_rejects_its_row_and_the_run_stages_the_others() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "bounds.csv",
                List.of(
                        new FileColumn("Name", "person.lastName"),
                        new FileColumn("Amount", null, "formatNumber(address.zip)", null, null, null, null)),
                UUID.randomUUID(),
                "email");
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Bounds", spec, FIELDS, REQUESTED));
        // The second profile's value would print a billion digits: before, the service built them and died.
        sendRows(
                runId,
                attemptId,
                List.of(
                        Arrays.asList(null, "first", "12.5"),
                        Arrays.asList(null, "second", "1E+999999999"),
                        Arrays.asList(null, "third", "3")));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 3, 3, ExclusionCounts.none()));

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(2, completed.rows());
        assertEquals(1, completed.rejectedRows());
        String text = new String(download(completed.files().get(0)), StandardCharsets.UTF_8);
        assertEquals(
                List.of(List.of("Name", "Amount"), List.of("first", "12.5"), List.of("third", "3")),
                parse(text, CSVFormat.RFC4180));
        JsonNode manifest = new ObjectMapper().readTree(download(completed.manifest()));
        assertEquals(1, manifest.get("totals").get("rejectedRows").asLong());
        assertEquals(
                "row 2, column 'Amount': expression position 0: formatNumber's value would be longer than 4096"
                        + " characters",
                manifest.get("rejections").get(0).asText(),
                "the reason, never the value");
        given().get("/extractions/{runId}", runId)
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("rejectedRows", equalTo(1));
    }

    @Test
    void a_format_the_encoding_cannot_write_fails_the_run_naming_the_setting() {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        FileFormat euro = new FileFormat(
                "DELIMITED",
                "€",
                null,
                null,
                null,
                "ISO_8859_1",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        RunSpec spec = new RunSpec(
                "euro.txt",
                List.of(new FileColumn("Zip", "address.zip")),
                UUID.randomUUID(),
                "email",
                euro,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Euro", spec, FIELDS, REQUESTED));
        sendRows(runId, attemptId, List.of(Arrays.asList(null, null, "1")));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 1, 1, ExclusionCounts.none()));
        assertEquals(
                "format.delimiter: the delimiter '€' (U+20AC) cannot be written in ISO_8859_1: every line would"
                        + " hold a replacement instead",
                awaitFailed(runId).reason());
        assertEquals(
                0,
                kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                        .count());
    }

    @Test
    void an_empty_audience_with_no_file_stages_only_a_manifest() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        FileFormat noFile = new FileFormat(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, "NO_FILE", null);
        RunSpec spec = new RunSpec(
                "none.csv",
                List.of(new FileColumn("Zip", "address.zip")),
                UUID.randomUUID(),
                "email",
                noFile,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "None", spec, FIELDS, REQUESTED));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 0, 0, ExclusionCounts.none()));
        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(0, completed.rows());
        assertTrue(completed.files().isEmpty());
        JsonNode manifest = new ObjectMapper().readTree(download(completed.manifest()));
        assertEquals(0, manifest.get("parts").size());
        assertEquals(0, manifest.get("totals").get("rows").asLong());
    }

    @Test
    void staged_objects_of_runs_older_than_the_retention_are_removed() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec =
                new RunSpec("old.csv", List.of(new FileColumn("Zip", "address.zip")), UUID.randomUUID(), "email");
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Old", spec, FIELDS, REQUESTED));
        sendRows(runId, attemptId, List.of(Arrays.asList(null, null, "1")));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 1, 1, ExclusionCounts.none()));
        ExtractionCompleted old = awaitCompleted(runId);
        UUID freshId = UUID.randomUUID();
        send(
                freshId,
                new ProfileStreamStarted(freshId, attemptId, UUID.randomUUID(), "Fresh", spec, FIELDS, REQUESTED));
        send(freshId, new ProfileStreamCompleted(freshId, attemptId, 0, 0, ExclusionCounts.none()));
        ExtractionCompleted fresh = awaitCompleted(freshId);
        assertEquals(2, objects(runId), "part and manifest staged");
        assertTrue(keys(runId).contains(StagingLayout.contactsKey(runId)), "and the placements: " + keys(runId));

        try (Connection c = dataSource.getConnection();
                PreparedStatement age =
                        c.prepareStatement("update extracted_run set completed_at = ? where run_id = ?")) {
            age.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(8))));
            age.setObject(2, runId);
            assertEquals(1, age.executeUpdate());
        }
        assertTrue(retention.purgeExpired(Instant.now()) >= 1);
        assertEquals(0, objects(runId), "the 8-day-old run's objects are gone");
        assertEquals(List.of(), keys(runId), "its placements too");
        assertEquals(2, objects(freshId), "a fresh run keeps its objects");
        assertFalse(old.files().isEmpty());
        assertFalse(fresh.files().isEmpty());
        assertEquals(0, retention.purgeExpired(Instant.now()), "nothing left to purge");
    }

    @Test
    void an_erasure_purges_the_staged_objects_of_the_runs_it_names_when_asked() throws Exception {
        UUID attemptId = UUID.randomUUID();
        RunSpec spec =
                new RunSpec("gdpr.csv", List.of(new FileColumn("Zip", "address.zip")), UUID.randomUUID(), "email");
        UUID named = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        for (UUID runId : List.of(named, kept)) {
            send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Gdpr", spec, FIELDS, REQUESTED));
            sendRows(runId, attemptId, List.of(Arrays.asList(null, null, "1")));
            send(runId, new ProfileStreamCompleted(runId, attemptId, 1, 1, ExclusionCounts.none()));
            awaitCompleted(runId);
            assertEquals(2, objects(runId), "part and manifest staged");
        }
        // Same key, so in order: an erasure that did not ask for the purge (naming the kept run), then one that did.
        String key = UUID.randomUUID().toString();
        ProfileErased listOnly = new ProfileErased(UUID.randomUUID(), List.of(kept), false, Instant.now());
        ProfileErased purge = new ProfileErased(UUID.randomUUID(), List.of(named), true, Instant.now());
        for (ProfileErased erased : List.of(listOnly, purge, purge)) { // the last one redelivered
            kafka.producer
                    .send(codec.encode(Topics.ERASURES, key, SOURCE, erased))
                    .get();
        }
        await().atMost(WAIT).until(() -> objects(named) == 0);
        assertEquals(2, objects(kept), "an erasure without purgeExports removes nothing");
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select run_id, purged_at is not null from extracted_run where run_id in (?, ?)")) {
            select.setObject(1, named);
            select.setObject(2, kept);
            java.util.Map<UUID, Boolean> purged = new java.util.HashMap<>();
            try (java.sql.ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    purged.put(rs.getObject(1, UUID.class), rs.getBoolean(2));
                }
            }
            assertEquals(java.util.Map.of(named, true, kept, false), purged);
        }
    }

    @Test
    void expressions_are_checked_with_positions_and_paths() {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "expressions",
                        List.of(
                                "upper(person.name.lastName)",
                                "concat('a', shout(x))",
                                "if(present(person.title), person.title, const.fallback)")))
                .post("/expressions/check")
                .then()
                .statusCode(200)
                .body("results[0].valid", equalTo(true))
                .body("results[0].error", nullValue())
                .body("results[0].paths", contains("person.name.lastName"))
                .body("results[1].valid", equalTo(false))
                .body("results[1].error.position", equalTo(12))
                .body("results[1].error.message", containsString("unknown function 'shout'"))
                .body("results[2].paths", contains("person.title"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/expressions/check")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void a_preview_renders_sample_profiles_as_the_file_would_hold_them() {
        Map<String, Object> format = Map.of(
                "type",
                "DELIMITED",
                "delimiter",
                ";",
                "encoding",
                "WINDOWS_1252",
                "lineEnding",
                "CRLF",
                "headerNotes",
                List.of("# preview"));
        Map<String, Object> spec = Map.of(
                "fileName",
                "mail-{part:02}.txt",
                "routingId",
                UUID.randomUUID().toString(),
                "identityNamespace",
                "email",
                "format",
                format,
                "constants",
                Map.of("promo", "P1"),
                "columns",
                List.of(
                        Map.of("label", "Name", "expression", "concat(upper(person.lastName), ' ', const.promo)"),
                        Map.of("label", "Zip", "path", "address.zip"),
                        Map.of("label", "Campaign", "expression", "campaign.name")));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "spec",
                        spec,
                        "campaignName",
                        "Spring; 2026",
                        "fields",
                        FIELDS,
                        "limit",
                        2,
                        "profiles",
                        List.of(
                                Map.of("profileId", "p1", "values", Arrays.asList(null, "Łukasz;x", "00123")),
                                Map.of("profileId", "p2", "values", Arrays.asList("Mr", "=1+1", "00042")),
                                Map.of("profileId", "p3", "values", Arrays.asList("Mr", "third", "00001")))))
                .post("/previews")
                .then()
                .statusCode(200)
                .body("fileName", equalTo("mail-01.txt"))
                .body(
                        "lines",
                        contains(
                                "# preview",
                                "Name;Zip;Campaign",
                                "\"LUKASZ;X P1\";00123;\"Spring; 2026\"",
                                "'=1+1 P1;00042;\"Spring; 2026\""))
                .body("errors.size()", equalTo(0));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "spec",
                        Map.of("fileName", "x.csv", "columns", List.of(Map.of("label", "A", "expression", "upper("))),
                        "fields",
                        FIELDS,
                        "profiles",
                        List.of()))
                .post("/previews")
                .then()
                .statusCode(200)
                .body("lines.size()", equalTo(0))
                .body("errors[0]", containsString("column 'A': expression error at position 6"));
        given().contentType(ContentType.JSON)
                .body(Map.of("fields", FIELDS))
                .post("/previews")
                .then()
                .statusCode(400);
    }

    @Test
    void an_expression_past_the_work_budget_is_reported_by_the_check_with_its_position() {
        String nested = "replace(".repeat(31) + "person.lastName" + ", '-', '')".repeat(31);
        given().contentType(ContentType.JSON)
                .body(Map.of("expressions", List.of(nested)))
                .post("/expressions/check")
                .then()
                .statusCode(200)
                .body("results[0].valid", equalTo(false))
                .body("results[0].error.position", equalTo("replace(".length() * 15))
                .body("results[0].error.message", containsString("more than the 131072"));
    }

    @Test
    void a_preview_rejects_a_row_past_a_bound_and_refuses_too_many_cells() {
        Map<String, Object> spec = Map.of(
                "fileName",
                "p.csv",
                "columns",
                List.of(
                        Map.of("label", "Name", "path", "person.lastName"),
                        Map.of("label", "Padded", "expression", "padLeft(person.title, 5, '0')")));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "spec",
                        spec,
                        "fields",
                        FIELDS,
                        "profiles",
                        List.of(
                                Map.of("profileId", "p1", "values", Arrays.asList("42", "one", "1")),
                                Map.of("profileId", "p2", "values", Arrays.asList("x".repeat(5000), "two", "2")),
                                Map.of("profileId", "p3", "values", Arrays.asList(null, "three", "3")))))
                .post("/previews")
                .then()
                .statusCode(200)
                .body("lines", contains("Name,Padded", "one,00042", "three,"))
                .body(
                        "errors",
                        contains("rejected: row 2, column 'Padded': expression position 8: the value of"
                                + " 'person.title' is longer than 4096 characters"));

        List<Map<String, Object>> columns = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            columns.add(Map.of("label", "c" + i, "path", "address.zip"));
        }
        List<Map<String, Object>> profiles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            profiles.add(Map.of("profileId", "p" + i, "values", List.of("", "", "1")));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "spec",
                        Map.of("fileName", "p.csv", "columns", columns),
                        "fields",
                        FIELDS,
                        "profiles",
                        profiles))
                .post("/previews")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("profiles"))
                .body("rule", equalTo("max-cells"))
                .body("detail", containsString("1000 × 21 = 21000"));
    }

    // ---- helpers ----

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    /** The run's staged objects a receiver gets (its placements, staged for the contact history, aside). */
    private static int objects(UUID runId) {
        return (int) keys(runId).stream().filter(k -> !k.contains("/internal/")).count();
    }

    private static List<String> keys(UUID runId) {
        return s3
                .listObjectsV2(b -> b.bucket(config("mailshot.staging.bucket")).prefix("runs/" + runId + "/"))
                .contents()
                .stream()
                .map(o -> o.key())
                .toList();
    }

    private void send(UUID runId, Record data) {
        try {
            kafka.producer
                    .send(codec.encode(Topics.PROFILES, runId.toString(), SOURCE, data))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each row in a batch of its own: the smallest batches the profile stream may carry. */
    private void sendRows(UUID runId, UUID attemptId, List<List<String>> values) {
        for (int i = 0; i < values.size(); i++) {
            send(
                    runId,
                    new ProfilesStreamed(
                            runId, attemptId, i + 1, List.of("profile-" + (i + 1)), List.of(values.get(i))));
        }
    }

    private ExtractionCompleted awaitCompleted(UUID runId) {
        await().atMost(WAIT)
                .until(() -> kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_COMPLETED.type())
                                .findAny()
                                .isPresent()
                        || kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                                .findAny()
                                .isPresent());
        kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                .findAny()
                .ifPresent(r -> {
                    throw new AssertionError("run failed: "
                            + codec.decode(r).data(ExtractionFailed.class).reason());
                });
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

    /** Downloads a staged file and checks its size and hash against the event. */
    private static byte[] download(StagedFile file) throws Exception {
        byte[] content = s3.getObjectAsBytes(b -> b.bucket(file.bucket()).key(file.key()))
                .asByteArray();
        assertEquals(file.bytes(), content.length, "bytes in the event");
        assertEquals(file.sha256(), sha256(content), "sha256 in the event");
        return content;
    }

    private static List<List<String>> readGzipLatin1Csv(StagedFile file) throws Exception {
        byte[] gz = download(file);
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            raw = in.readAllBytes();
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(text.endsWith("\r\n"), "CRLF, ending with a line ending");
        return parse(text, CSVFormat.RFC4180);
    }

    private static List<List<String>> parse(String text, CSVFormat format) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
        }
        return rows;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
