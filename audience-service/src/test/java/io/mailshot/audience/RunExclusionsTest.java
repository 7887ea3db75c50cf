package io.mailshot.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.service.resolution.Holdout;
import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolutionFailed;
import io.mailshot.events.EventType;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.FileColumn;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resolution exclusions in their documented order: consent, address, suppression, dedup, holdout. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class RunExclusionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private String tag;
    private UUID audienceId;

    @BeforeEach
    void profiles() throws Exception {
        tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder b = new StringBuilder();
        // A0 shares A1's household but has no consent: it is excluded for consent and does not win the dedup.
        b.append(line("A0", "n", "12 Main Street", "SW1A 1AA", "London", "GB", "Smith", "a0"))
                .append('\n');
        b.append(line("A1", "y", "12 Main Street", "SW1A 1AA", "London", "GB", "Smith", "a1"))
                .append('\n');
        // Same household as A1: case, abbreviation, punctuation, spacing.
        b.append(line("A2", "", "12 main st.", "sw1a1aa", "LONDON", "gb", "SMITH", "a2"))
                .append('\n');
        // Same address as A1, other family.
        b.append(line("A3", null, "  12   Main   Str ", "SW1A-1AA", "London", "GB", "Jones", "a3"))
                .append('\n');
        // Accents, apostrophes and French abbreviations.
        b.append(line("B1", "y", "3 rue de l'Église", "75001", "Paris", "FR", "Dupont", "b1"))
                .append('\n');
        b.append(line("B2", "y", "3 R. de l’Eglise", "75 001", "PARIS", "FR", "DUPONT", "b2"))
                .append('\n');
        // Unusable addresses.
        b.append(line("C1", "y", "1 Nowhere Rd", null, "York", "GB", "Doe", "c1"))
                .append('\n');
        b.append(line("C2", "y", "   ", "YO1", "York", "GB", "Doe", "c2")).append('\n');
        // Suppressed: by primary identity, by a secondary identity (email), by an address spelt otherwise.
        b.append(line("D1", "y", "7 Elm Road", "E1", "Leeds", "GB", "Roe", "d1"))
                .append('\n');
        b.append(line("D2", "y", "8 Elm Road", "E1", "Leeds", "GB", "Roe", "d2"))
                .append('\n');
        b.append(line("D3", "y", "5 Avenue Foch", "75116", "Paris", "FR", "Martin", "d3"))
                .append('\n');
        // The same person twice under two CRM ids: same email up to case and spaces.
        b.append(line("E1", "y", "1 Oak Lane", "Z1", "Bath", "GB", "Poe", "shared"))
                .append('\n');
        b.append(line("E2", "y", "2 Pine Lane", "Z2", "Bath", "GB", "Poe", " SHARED"))
                .append('\n');
        Profiles.post(b.toString()).statusCode(200).body("accepted", Matchers.equalTo(13));
        audienceId =
                Runs.audience("exclusions " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));
    }

    private String line(
            String id,
            String consent,
            String street1,
            String postal,
            String city,
            String country,
            String lastName,
            String email)
            throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("identity", Map.of("namespace", "crmId", "id", id + "-" + tag));
        p.put("identities", Map.of("email", email + "-" + tag + "@example.com"));
        p.put("person", Map.of("name", Map.of("lastName", lastName)));
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street1", street1);
        if (postal != null) {
            address.put("postalCode", postal);
        }
        address.put("city", city);
        address.put("countryCode", country);
        p.put("homeAddress", address);
        if (consent != null) {
            p.put("consents", Map.of("marketing", Map.of("postalMail", Map.of("val", consent))));
        }
        p.put("attributes", Map.of("tag", tag));
        return JSON.writeValueAsString(p);
    }

    private record Result(
            List<String> streamed,
            ExclusionCounts excluded,
            long matched,
            ProfileStreamStarted started,
            List<Runs.Profile> rows) {}

    private Result run(RunSpec spec) throws Exception {
        UUID runId = UUID.randomUUID();
        RunRequested run =
                new RunRequested(runId, UUID.randomUUID(), "Exclusions", audienceId, spec, Instant.now(), Actor.SYSTEM);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profiles = new TopicReader(bootstrap, Topics.PROFILES)) {
            Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), "/mailshot/campaign-service", run));
            List<IncomingEvent> stream = profiles
                    .awaitKey(
                            runId.toString(),
                            recs -> RunResolutionTest.types(recs).contains(EventType.PROFILE_STREAM_COMPLETED))
                    .stream()
                    .map(codec::decode)
                    .toList();
            List<Runs.Profile> rows = Runs.profiles(stream);
            ProfileStreamCompleted completed = stream.get(stream.size() - 1).data(ProfileStreamCompleted.class);
            List<String> ids = rows.stream()
                    .map(r -> r.profileId().substring(0, 2))
                    .sorted()
                    .toList();
            assertEquals(completed.streamed(), rows.size());
            assertEquals(
                    completed.matched(),
                    completed.streamed() + completed.excluded().total());
            return new Result(
                    ids,
                    completed.excluded(),
                    completed.matched(),
                    stream.get(0).data(ProfileStreamStarted.class),
                    rows);
        }
    }

    private static RunSpec spec(
            String dedup, Integer holdout, List<UUID> lists, List<String> fields, String identityNamespace) {
        return new RunSpec(
                "x.csv",
                List.of(new FileColumn("Id", "identity.id")),
                UUID.randomUUID(),
                identityNamespace,
                null,
                null,
                null,
                null,
                null,
                fields,
                null,
                holdout,
                dedup,
                lists);
    }

    @Test
    void householdDedupWithSuppressionListsInOrder() throws Exception {
        String identities = SuppressionListTest.create("ids " + tag, "DO_NOT_MAIL");
        SuppressionListTest.ndjson(
                        identities,
                        "{\"namespace\":\"crmId\",\"id\":\"D1-" + tag + "\"}\n"
                                + "{\"namespace\":\"email\",\"id\":\"d2-" + tag + "@example.com\"}\n"
                                // A0 is suppressed too, but consent comes first: it is counted once, as noConsent.
                                + "{\"namespace\":\"crmId\",\"id\":\"A0-" + tag + "\"}")
                .statusCode(200)
                .body("accepted", Matchers.equalTo(3));
        String addresses = SuppressionListTest.create("addresses " + tag, "MOVED");
        SuppressionListTest.ndjson(
                        addresses,
                        "{\"address\":{\"street1\":\"5 av. FOCH\",\"postalCode\":\"75116\","
                                + "\"city\":\"paris\",\"countryCode\":\"fr\"}}")
                .statusCode(200);

        Result r = run(spec(
                "HOUSEHOLD",
                null,
                List.of(UUID.fromString(identities), UUID.fromString(addresses)),
                List.of("person.name.lastName", "homeAddress.city"),
                null));
        assertEquals(13, r.matched());
        assertEquals(new ExclusionCounts(1, 2, 3, 2, 0), r.excluded());
        // The lowest identity of each household wins: A1 over A2, B1 over B2.
        assertEquals(List.of("A1", "A3", "B1", "E1", "E2"), r.streamed());
        // spec.fields drives the projection, not the column paths.
        assertEquals(
                List.of("person.name.lastName", "homeAddress.city"), r.started().fields());
        Map<String, List<String>> values = new HashMap<>();
        r.rows().forEach(row -> values.put(row.profileId().substring(0, 2), row.values()));
        assertEquals(List.of("Smith", "London"), values.get("A1"));
        assertEquals(List.of("Dupont", "Paris"), values.get("B1"));
    }

    @Test
    void addressAndIdentityDedup() throws Exception {
        Result address = run(spec("ADDRESS", null, null, null, null));
        assertEquals(new ExclusionCounts(1, 2, 0, 3, 0), address.excluded());
        assertEquals(List.of("A1", "B1", "D1", "D2", "D3", "E1", "E2"), address.streamed());

        Result identity = run(spec("identity", null, List.of(), null, "email"));
        assertEquals(new ExclusionCounts(1, 2, 0, 1, 0), identity.excluded());
        assertEquals(List.of("A1", "A2", "A3", "B1", "B2", "D1", "D2", "D3", "E1"), identity.streamed());

        Result none = run(spec(null, null, null, null, null));
        assertEquals(new ExclusionCounts(1, 2, 0, 0, 0), none.excluded());
        assertEquals(10, none.streamed().size());
    }

    @Test
    void holdoutIsADeterministicSampleOfTheEligible() throws Exception {
        Result r = run(spec("NONE", 50, null, null, null));
        Set<String> eligible = new TreeSet<>(List.of("A1", "A2", "A3", "B1", "B2", "D1", "D2", "D3", "E1", "E2"));
        Set<String> streamed = new TreeSet<>(r.streamed());
        assertTrue(eligible.containsAll(streamed));
        assertEquals(eligible.size(), streamed.size() + r.excluded().holdout());
        assertEquals(new ExclusionCounts(1, 2, 0, 0, r.excluded().holdout()), r.excluded());
        // The sample is a function of (run id, profile id): recompute it independently of the stream.
        Holdout expected = new Holdout(r.started().runId(), 50);
        Set<String> predicted = new TreeSet<>();
        for (String id : eligible) {
            if (!expected.heldOut("crmId", id + "-" + tag)) {
                predicted.add(id);
            }
        }
        assertEquals(predicted, streamed);
    }

    @Test
    void badExclusionSettingsFailTheRun() throws Exception {
        assertFails(spec("BY_NAME", null, null, null, null), "spec.dedup must be NONE, IDENTITY, ADDRESS or HOUSEHOLD");
        assertFails(spec(null, 51, null, null, null), "spec.holdoutPercent must be within 0 and 50");
        UUID ghost = UUID.randomUUID();
        assertFails(spec(null, null, List.of(ghost), null, null), "suppression list " + ghost + " does not exist");
        assertFails(
                spec(null, null, null, List.of("a'); drop table profile; --"), null),
                "spec.fields[0] is not a valid attribute path");
    }

    private void assertFails(RunSpec spec, String reason) throws Exception {
        UUID runId = UUID.randomUUID();
        RunRequested run =
                new RunRequested(runId, UUID.randomUUID(), "Bad", audienceId, spec, Instant.now(), Actor.SYSTEM);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader events = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), "/mailshot/campaign-service", run));
            List<IncomingEvent> got = events.awaitKey(runId.toString(), recs -> !recs.isEmpty()).stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(new AudienceResolutionFailed(runId, reason), got.get(0).data(AudienceResolutionFailed.class));
        }
    }
}
