package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.Actor;
import io.mailshot.events.DeliverySucceeded;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.RunRequested;
import io.mailshot.events.Topics;
import io.mailshot.events.files.ContactPlacements;
import io.mailshot.events.files.StagingLayout;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.StagingTestClient;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Contact history on the real stack: a run resolved with a holdout, its placements staged as the extraction stages
 * them, its {@code DeliverySucceeded} published; then what a user reads back through the API.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class ContactHistoryTest {

    private static final int PROFILES = 60;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** Where the test placed a mailed row. */
    private record Placed(String file, int part, String cell) {}

    @Test
    void aDeliveredRunIsRecordedOnceWithItsPlacementsAndItsHoldout() throws Exception {
        String tag = UUID.randomUUID().toString();
        StringBuilder ndjson = new StringBuilder();
        Set<String> ids = new HashSet<>();
        for (int i = 1; i <= PROFILES; i++) {
            String id = "H" + i + "-" + tag;
            ids.add(id);
            ndjson.append(Profiles.line(id, "FR", "City" + i, "Name" + i, "y", "gold", tag, false, null))
                    .append('\n');
        }
        Profiles.post(ndjson.toString()).statusCode(200).body("accepted", Matchers.equalTo(PROFILES));
        UUID audienceId =
                Runs.audience("history " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));

        // Run 1: resolved with a 30% holdout, its rows placed in two files (one split value needs neutralising).
        UUID campaignId = UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        List<Runs.Profile> rows = resolve(runId, campaignId, audienceId, 30);
        Set<String> mailed = new HashSet<>();
        rows.forEach(r -> mailed.add(r.profileId()));
        Set<String> heldOut = new HashSet<>(ids);
        heldOut.removeAll(mailed);
        assertTrue(!heldOut.isEmpty() && !mailed.isEmpty(), "the holdout took some but not all");

        Map<String, Placed> placed = new HashMap<>();
        StringBuilder placements = new StringBuilder(ContactPlacements.HEADER).append('\n');
        int n = 0;
        for (Runs.Profile row : rows) {
            n++;
            // A file name with a comma and a cell starting like a formula: quoted in the staged line, kept as they
            // are in the history, neutralised in the CSV export.
            Placed p =
                    n % 2 == 0 ? new Placed("north, 1.csv", 1, "=HYPERLINK(1)") : new Placed("south.csv", n % 3, null);
            placed.put(row.profileId(), p);
            placements
                    .append(ContactPlacements.line(
                            new ContactPlacements.Placement(row.attemptId(), row.seq(), p.file(), p.part(), p.cell())))
                    .append('\n');
        }
        try (S3Client s3 = StagingTestClient.create()) {
            s3.putObject(
                    b -> b.bucket(bucket())
                            .key(StagingLayout.contactsKey(runId))
                            .contentType("text/csv"),
                    RequestBody.fromString(placements.toString()));
        }

        Instant deliveredAt;
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap)) {
            ProducerRecord<String, String> delivered = delivered(runId, false);
            deliveredAt = codec.decode(asConsumed(delivered)).time().truncatedTo(ChronoUnit.MICROS);
            RecordMetadata first = Runs.send(producer, delivered);
            Runs.awaitConsumed(bootstrap, first);
            assertRun(runId, campaignId, mailed, heldOut, placed, deliveredAt, 0);

            // The same event again, another DeliverySucceeded of the run (a second routing), and a re-send: nothing
            // is recorded twice.
            Runs.send(producer, delivered);
            Runs.send(producer, delivered(runId, false));
            RecordMetadata last = Runs.send(producer, delivered(runId, true));
            Runs.awaitConsumed(bootstrap, last);
            assertRun(runId, campaignId, mailed, heldOut, placed, deliveredAt, 0);

            // Run 2 of another campaign, whose placements were never staged: its members are recorded without file
            // or part, and come first in each profile's history (newest first).
            UUID campaign2 = UUID.randomUUID();
            UUID run2 = UUID.randomUUID();
            List<Runs.Profile> rows2 = resolve(run2, campaign2, audienceId, 30);
            Set<String> mailed2 = new HashSet<>();
            rows2.forEach(r -> mailed2.add(r.profileId()));
            Set<String> heldOut2 = new HashSet<>(ids);
            heldOut2.removeAll(mailed2);
            ProducerRecord<String, String> delivered2 = delivered(run2, false);
            Instant deliveredAt2 = codec.decode(asConsumed(delivered2)).time().truncatedTo(ChronoUnit.MICROS);
            Runs.awaitConsumed(bootstrap, Runs.send(producer, delivered2));
            Map<String, Placed> unplaced = new HashMap<>();
            mailed2.forEach(id -> unplaced.put(id, new Placed(null, 0, null)));
            assertRun(run2, campaign2, mailed2, heldOut2, unplaced, deliveredAt2, 0);
            // Run 1 is still each profile's second contact.
            assertRun(runId, campaignId, mailed, heldOut, placed, deliveredAt, 1);
        }

        // The campaign's CSV export parses back to the same rows.
        String csv = given().accept("text/csv")
                .when()
                .get("/campaigns/{id}/contacts", campaignId)
                .then()
                .statusCode(200)
                .contentType(Matchers.startsWith("text/csv"))
                .extract()
                .asString();
        List<CSVRecord> records = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv))
                .getRecords();
        assertEquals(PROFILES, records.size(), csv);
        Set<String> exported = new HashSet<>();
        for (CSVRecord r : records) {
            String id = r.get("id");
            assertTrue(exported.add(id), "one row per profile: " + id);
            assertEquals("crmId", r.get("namespace"));
            assertTrue(!r.get("household_key").isEmpty(), "household key exported");
            assertEquals(runId.toString(), r.get("run_id"));
            assertEquals(deliveredAt, Instant.parse(r.get("contacted_at")));
            if (heldOut.contains(id)) {
                assertEquals("true", r.get("holdout"));
                assertEquals(List.of("", "", ""), List.of(r.get("file"), r.get("part"), r.get("cell")));
            } else {
                Placed p = placed.get(id);
                assertEquals("false", r.get("holdout"));
                assertEquals(p.file(), r.get("file"));
                assertEquals(Integer.toString(p.part()), r.get("part"));
                // Neutralised like the extraction's CSV: a leading ' before a formula character.
                assertEquals(p.cell() == null ? "" : "'" + p.cell(), r.get("cell"));
            }
        }
        assertEquals(ids, exported);
        assertEquals(
                List.of(
                        "namespace",
                        "id",
                        "household_key",
                        "run_id",
                        "file",
                        "part",
                        "cell",
                        "holdout",
                        "contacted_at"),
                List.of(csv.substring(0, csv.indexOf('\n')).split(",")));

        // Paging and refusals.
        String someone = mailed.iterator().next();
        given().queryParam("size", 1)
                .queryParam("page", 1)
                .get("/profiles/crmId/{id}/contacts", someone)
                .then()
                .statusCode(200)
                .body("total", Matchers.equalTo(2))
                .body("items", Matchers.hasSize(1))
                .body("items[0].runId", Matchers.equalTo(runId.toString()));
        given().queryParam("size", 201)
                .get("/profiles/crmId/{id}/contacts", someone)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", Matchers.equalTo("size"));
        given().accept("text/csv")
                .get("/campaigns/not-a-uuid/contacts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/profiles/crmId/{id}/contacts", "nobody-" + tag)
                .then()
                .statusCode(200)
                .body("total", Matchers.equalTo(0))
                .body("items", Matchers.hasSize(0));
    }

    /** Each profile's history holds exactly one row of the run, at {@code index} (0 = newest), as placed. */
    private static void assertRun(
            UUID runId,
            UUID campaignId,
            Set<String> mailed,
            Set<String> heldOut,
            Map<String, Placed> placed,
            Instant at,
            int index) {
        for (String id : mailed) {
            Map<String, Object> row = contact(id, runId, index);
            Placed p = placed.get(id);
            assertEquals(campaignId.toString(), row.get("campaignId"));
            assertEquals(false, row.get("holdout"));
            assertEquals(p.file(), row.get("file"), id);
            assertEquals(p.file() == null ? null : Integer.valueOf(p.part()), row.get("part"), id);
            assertEquals(p.cell(), row.get("cell"), id);
            assertEquals(at, Instant.parse((String) row.get("contactedAt")));
        }
        for (String id : heldOut) {
            Map<String, Object> row = contact(id, runId, index);
            assertEquals(campaignId.toString(), row.get("campaignId"));
            assertEquals(true, row.get("holdout"));
            assertEquals(null, row.get("file"));
            assertEquals(null, row.get("part"));
            assertEquals(null, row.get("cell"));
            assertEquals(at, Instant.parse((String) row.get("contactedAt")));
        }
    }

    /** The profile's history has exactly one row of the run, the {@code index}-th: returned. */
    private static Map<String, Object> contact(String id, UUID runId, int index) {
        JsonPath page = given().get("/profiles/crmId/{id}/contacts", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> runs = page.getList("items.runId");
        assertEquals(1, runs.stream().filter(runId.toString()::equals).count(), id + " " + runs);
        assertEquals(runId.toString(), runs.get(index), id + " " + runs);
        assertEquals(runs.size(), page.getInt("total"));
        return page.getMap("items[" + index + "]");
    }

    private List<Runs.Profile> resolve(UUID runId, UUID campaignId, UUID audienceId, int holdout) throws Exception {
        RunRequested run = new RunRequested(
                runId,
                campaignId,
                "History",
                audienceId,
                Runs.identitySpec(holdout, null, null),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Actor.SYSTEM);
        List<IncomingEvent> stream = Runs.resolve(bootstrap, codec, run);
        ProfileStreamCompleted completed = stream.get(stream.size() - 1).data(ProfileStreamCompleted.class);
        assertEquals(PROFILES, completed.matched());
        List<Runs.Profile> rows = Runs.profiles(stream);
        assertEquals(completed.streamed(), rows.size());
        assertEquals(PROFILES, rows.size() + completed.excluded().holdout());
        return rows;
    }

    private ProducerRecord<String, String> delivered(UUID runId, boolean resend) {
        return codec.encode(
                Topics.DELIVERY_EVENTS,
                runId.toString(),
                "/mailshot/delivery-service",
                new DeliverySucceeded(runId, UUID.randomUUID(), "s3://test/out", List.of(), UUID.randomUUID(), resend));
    }

    /** The produced record as a consumer would see it (to read the CloudEvents attributes the codec set). */
    private static org.apache.kafka.clients.consumer.ConsumerRecord<String, String> asConsumed(
            ProducerRecord<String, String> record) {
        org.apache.kafka.clients.consumer.ConsumerRecord<String, String> consumed =
                new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                        record.topic(), 0, 0, record.key(), record.value());
        record.headers().forEach(h -> consumed.headers().add(h));
        return consumed;
    }

    private static String bucket() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("mailshot.staging.bucket", String.class);
    }
}
