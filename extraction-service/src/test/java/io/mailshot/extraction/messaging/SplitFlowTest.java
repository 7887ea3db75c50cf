package io.mailshot.extraction.messaging;

import static org.awaitility.Awaitility.await;
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
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SeedRecord;
import io.mailshot.events.SortKey;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.events.files.ContactPlacements;
import io.mailshot.events.files.StagingLayout;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.KafkaTestClients;
import io.mailshot.infra.StagingTestClient;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Split by field and by size through the real service (Kafka in, S3 staging out): the staged files, the manifest
 * and the staged placements are downloaded with an independent client and parsed with independent readers.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "extraction"))
class SplitFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SOURCE = "/mailshot/audience-service";
    private static final Instant REQUESTED = Instant.parse("2026-03-01T09:30:00Z");
    private static final List<String> FIELDS = List.of("person.lastName", "address.region", "address.zip");
    private static final List<FileColumn> COLUMNS = List.of(
            new FileColumn("Name", "person.lastName"),
            new FileColumn("Region", "address.region"),
            new FileColumn("Zip", "address.zip"));
    private static final List<String> HEADER = List.of("Name", "Region", "Zip");
    private static final String[] REGIONS = {"North", "South", "", "Île/Ouest"};

    private static KafkaTestClients kafka;
    private static S3Client s3;

    @Inject
    EventCodec codec;

    @BeforeEach
    void clients() {
        if (kafka == null) {
            kafka = KafkaTestClients.recording(config("kafka.bootstrap.servers"), Topics.EXTRACTION_EVENTS);
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
    void a_split_by_region_stages_one_file_set_per_region_with_exactly_its_rows_and_places_every_row()
            throws Exception {
        UUID runId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "spring-{split}.csv",
                COLUMNS,
                UUID.randomUUID(),
                "email",
                null,
                List.of(new SortKey("Zip", "DESC")),
                2,
                List.of(new SeedRecord(Map.of("Name", "SEED", "Region", "HQ", "Zip", "00000"))),
                "END",
                FIELDS,
                null,
                null,
                null,
                null,
                null,
                null,
                "Region",
                null);
        // Two slices, each with its own attempt: a row is placed under the attempt that streamed it.
        UUID[] attempts = {UUID.randomUUID(), UUID.randomUUID()};
        Map<String, List<String>> byAttemptSeq = new HashMap<>();
        List<List<String>> all = new ArrayList<>();
        for (int slice = 0; slice < 2; slice++) {
            send(
                    runId,
                    new ProfileStreamStarted(
                            runId, attempts[slice], UUID.randomUUID(), "Spring", spec, FIELDS, REQUESTED, slice, 2));
        }
        for (int slice = 0; slice < 2; slice++) {
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                int n = slice * 9 + i;
                String region = REGIONS[n % REGIONS.length];
                rows.add(java.util.Arrays.asList(
                        "name" + n, region.isEmpty() && n % 2 == 0 ? null : region, String.format("%05d", n)));
            }
            send(runId, new ProfilesStreamed(runId, attempts[slice], 1, ids(rows.size(), slice), rows));
            for (int i = 0; i < rows.size(); i++) {
                byAttemptSeq.put(attempts[slice] + "/" + (i + 1), rows.get(i));
            }
            all.addAll(rows);
        }
        for (int slice = 0; slice < 2; slice++) {
            send(runId, new ProfileStreamCompleted(runId, attempts[slice], 9, 9, ExclusionCounts.none(), slice, 2));
        }

        ExtractionCompleted completed = awaitCompleted(runId);
        assertEquals(18, completed.rows());

        // Expected: per region (sorted by value, the empty one first), rows by zip descending, two per part.
        Map<String, List<List<String>>> expected = new LinkedHashMap<>();
        for (String region : List.of("", "North", "South", "Île/Ouest")) {
            List<List<String>> rows = new ArrayList<>();
            for (List<String> row : all) {
                String shown = row.get(1) == null ? "" : row.get(1);
                if (shown.equals(region)) {
                    rows.add(List.of(row.get(0), shown, row.get(2)));
                }
            }
            rows.sort((a, b) -> b.get(2).compareTo(a.get(2)));
            expected.put(region, rows);
        }
        Map<String, String> setNames = Map.of(
                "", "spring-_empty-part%03d.csv",
                "North", "spring-North-part%03d.csv",
                "South", "spring-South-part%03d.csv",
                "Île/Ouest", "spring-_C3_8Ele_2FOuest-part%03d.csv");

        JsonNode manifest = new ObjectMapper().readTree(download(completed.manifest()));
        JsonNode entries = manifest.get("parts");
        assertEquals(completed.files().size(), entries.size());
        assertEquals(
                completed.files().size(), manifest.get("totals").get("parts").asInt());
        Map<String, StagedFile> filesByName = new HashMap<>();
        completed.files().forEach(f -> filesByName.put(f.name(), f));
        // Where each row should be: file name and part by its identity.
        Map<String, String> expectedPlace = new HashMap<>();
        int entry = 0;
        for (Map.Entry<String, List<List<String>>> set : expected.entrySet()) {
            List<List<String>> rows = set.getValue();
            int parts = (rows.size() + 1) / 2;
            for (int part = 1; part <= parts; part++) {
                String name = String.format(setNames.get(set.getKey()), part);
                JsonNode e = entries.get(entry++);
                assertEquals(name, e.get("name").asText(), "file " + entry + " of the manifest");
                assertEquals(part, e.get("part").asInt());
                assertEquals(set.getKey(), e.get("splitValue").asText());
                List<List<String>> partRows = rows.subList(2 * (part - 1), Math.min(rows.size(), 2 * part));
                assertEquals(partRows.size(), e.get("rows").asLong());
                assertEquals(1, e.get("seedRows").asLong(), "a seed in every part of every set");
                byte[] staged = download(filesByName.get(name));
                assertEquals(sha256(staged), e.get("sha256").asText());
                assertEquals(staged.length, e.get("bytes").asLong());
                List<List<String>> content = parse(new String(staged, StandardCharsets.UTF_8));
                List<List<String>> body = new ArrayList<>(partRows);
                body.add(0, HEADER);
                body.add(List.of("SEED", "HQ", "00000"));
                assertEquals(body, content, name);
                for (List<String> row : partRows) {
                    expectedPlace.put(row.get(0), name + "|" + part + "|" + set.getKey());
                }
            }
        }
        assertEquals(entries.size(), entry, "no other file");
        assertEquals(18, expectedPlace.size());

        // The CSV trigger file is not asked for; the placements are staged, never announced.
        assertTrue(completed.files().stream().noneMatch(f -> f.key().contains("contacts")));
        String placements = new String(
                s3.getObjectAsBytes(b -> b.bucket(completed.manifest().bucket()).key(StagingLayout.contactsKey(runId)))
                        .asByteArray(),
                StandardCharsets.UTF_8);
        String[] lines = placements.split("\n");
        assertEquals(ContactPlacements.HEADER, lines[0]);
        assertEquals(19, lines.length, "one line per profile row, none for the seeds");
        Map<String, String> placed = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            ContactPlacements.Placement p = ContactPlacements.parse(lines[i]);
            List<String> row = byAttemptSeq.get(p.attemptId() + "/" + p.seq());
            assertTrue(row != null, "line " + i + " names a streamed row: " + lines[i]);
            String earlier = placed.put(row.get(0), p.file() + "|" + p.part() + "|" + p.cell());
            assertEquals(null, earlier, "each row placed once: " + row.get(0));
        }
        assertEquals(expectedPlace, placed);
    }

    @Test
    void a_size_cap_keeps_every_part_within_it_header_and_footer_counted() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        FileFormat format = new FileFormat(
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
                null,
                null,
                List.of("# mailing"),
                List.of("# end"),
                null,
                null);
        long cap = 120;
        RunSpec spec = new RunSpec(
                "capped.csv",
                COLUMNS,
                UUID.randomUUID(),
                "email",
                format,
                null,
                null,
                null,
                null,
                FIELDS,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                cap);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(List.of("n" + "x".repeat(i % 7), "R" + i % 3, String.format("%05d", i)));
        }
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Capped", spec, FIELDS, REQUESTED));
        send(runId, new ProfilesStreamed(runId, attemptId, 1, ids(rows.size(), 0), rows));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 40, 40, ExclusionCounts.none()));

        ExtractionCompleted completed = awaitCompleted(runId);
        JsonNode manifest = new ObjectMapper().readTree(download(completed.manifest()));
        assertTrue(
                completed.files().size() > 3,
                "the cap splits the run: " + completed.files().size());
        List<List<String>> body = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < completed.files().size(); i++) {
            StagedFile file = completed.files().get(i);
            JsonNode e = manifest.get("parts").get(i);
            assertEquals(String.format("capped-part%03d.csv", i + 1), file.name());
            byte[] staged = download(file);
            assertTrue(staged.length <= cap, file.name() + " holds " + staged.length + " bytes");
            assertEquals(sha256(staged), e.get("sha256").asText());
            assertEquals(staged.length, e.get("bytes").asLong());
            assertTrue(e.get("splitValue").isNull(), "not split by a field");
            List<List<String>> content = parse(new String(staged, StandardCharsets.UTF_8));
            assertEquals(List.of("# mailing"), content.get(0));
            assertEquals(HEADER, content.get(1));
            assertEquals(List.of("# end"), content.get(content.size() - 1));
            List<List<String>> partRows = content.subList(2, content.size() - 1);
            assertFalse(partRows.isEmpty(), "a part holds at least one row");
            assertEquals(partRows.size(), e.get("rows").asLong());
            if (i + 1 < completed.files().size()) {
                // The next row would not have fitted: the parts are as full as the cap allows.
                List<String> next = rows.get(body.size() + partRows.size());
                int nextBytes = String.join(",", next).length() + 1;
                assertTrue(staged.length + nextBytes > cap, file.name() + " ended early");
            }
            body.addAll(partRows);
            total += e.get("rows").asLong();
        }
        assertEquals(40, total);
        assertEquals(rows, body, "every row once, in stream order");
    }

    @Test
    void split_values_whose_names_differ_only_by_case_fail_the_run_naming_the_rule() {
        UUID runId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "folded.csv",
                COLUMNS,
                UUID.randomUUID(),
                "email",
                null,
                null,
                null,
                null,
                null,
                FIELDS,
                null,
                null,
                null,
                null,
                null,
                null,
                "Region",
                null);
        List<List<String>> rows = List.of(List.of("a", "North", "1"), List.of("b", "north", "2"));
        send(runId, new ProfileStreamStarted(runId, attemptId, UUID.randomUUID(), "Folded", spec, FIELDS, REQUESTED));
        send(runId, new ProfilesStreamed(runId, attemptId, 1, ids(2, 0), rows));
        send(runId, new ProfileStreamCompleted(runId, attemptId, 2, 2, ExclusionCounts.none()));
        await().atMost(WAIT)
                .until(() -> kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .findAny()
                        .isPresent());
        String reason = codec.decode(kafka.recorded(Topics.EXTRACTION_EVENTS, runId, EventType.EXTRACTION_FAILED.type())
                        .findFirst()
                        .orElseThrow())
                .data(ExtractionFailed.class)
                .reason();
        assertTrue(reason.contains("would share one name") && reason.contains("ignoring case"), reason);
        assertFalse(reason.contains("orth"), "the split value is never in a reason: " + reason);
        assertEquals(
                0,
                s3.listObjectsV2(
                                b -> b.bucket(config("mailshot.staging.bucket")).prefix(StagingLayout.runPrefix(runId)))
                        .contents()
                        .size(),
                "nothing stays staged");
    }

    // ---- helpers ----

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static List<String> ids(int n, int slice) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("profile-" + slice + "-" + i);
        }
        return ids;
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

    /** Downloads a staged file and checks its size and hash against the event. */
    private static byte[] download(StagedFile file) throws Exception {
        byte[] content = s3.getObjectAsBytes(b -> b.bucket(file.bucket()).key(file.key()))
                .asByteArray();
        assertEquals(file.bytes(), content.length, "bytes in the event");
        assertEquals(file.sha256(), sha256(content), "sha256 in the event");
        return content;
    }

    private static List<List<String>> parse(String text) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), CSVFormat.RFC4180)) {
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
