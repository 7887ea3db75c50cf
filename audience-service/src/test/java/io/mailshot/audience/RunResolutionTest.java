package io.mailshot.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolutionFailed;
import io.mailshot.events.AudienceResolutionStarted;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.EventType;
import io.mailshot.events.FileColumn;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.ProfileStreamStarted;
import io.mailshot.events.RunCancelled;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.infra.PrometheusSamples;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class RunResolutionTest {

    private static final String CAMPAIGN_SOURCE = "/mailshot/campaign-service";

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aRunStreamsExactlyTheConsentingMatchesOnceEvenWhenRequestedTwice() throws Exception {
        String tag = UUID.randomUUID().toString();
        StringBuilder ndjson = new StringBuilder();
        Map<String, List<String>> expectedValues = new HashMap<>();
        long expectedMatched = 0;
        long expectedNoConsent = 0;
        for (int i = 1; i <= 500; i++) {
            String id = "P" + i + "-" + tag;
            String country = i % 3 == 0 ? "DE" : i % 2 == 0 ? "FR" : "BE";
            String lastName = i % 7 == 0 ? null : "Name" + i;
            String consent = i % 10 == 0 ? "n" : i % 11 == 0 ? null : i % 13 == 0 ? "" : "y";
            String tier = i % 4 == 0 ? null : "gold";
            boolean test = i % 25 == 0;
            ndjson.append(Profiles.line(id, country, "City" + i, lastName, consent, tier, tag, test, null))
                    .append('\n');
            if (!test && !country.equals("DE") && lastName != null) {
                expectedMatched++;
                if ("n".equals(consent)) {
                    expectedNoConsent++;
                } else {
                    expectedValues.put(id, Arrays.asList(id, lastName, "City" + i, tier));
                }
            }
        }
        // Same filter values, other tag: must not be matched.
        ndjson.append(Profiles.line("Other-" + tag, "FR", "Lyon", "X", "y", "gold", "other-" + tag, false, null));
        Profiles.post(ndjson.toString()).statusCode(200).body("accepted", Matchers.equalTo(501));

        UUID audienceId = Runs.audience(
                "run audience " + tag,
                List.of(
                        Map.of("path", "attributes.tag", "op", "eq", "value", tag),
                        Map.of("path", "homeAddress.countryCode", "op", "in", "values", List.of("FR", "BE")),
                        Map.of("path", "person.name.lastName", "op", "exists")));
        UUID runId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "spring-" + tag + ".csv",
                List.of(
                        new FileColumn("Customer", "identity.id"),
                        new FileColumn("Last name", "person.name.lastName"),
                        new FileColumn("City", "homeAddress.city"),
                        new FileColumn("Tier", "attributes.loyalty.tier"),
                        new FileColumn("City again", "homeAddress.city")),
                UUID.randomUUID(),
                "crmId");
        RunRequested run = new RunRequested(
                runId,
                UUID.randomUUID(),
                "Spring mailing",
                audienceId,
                spec,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Actor.SYSTEM);
        ProducerRecord<String, String> record = codec.encode(Topics.RUNS, runId.toString(), CAMPAIGN_SOURCE, run);
        String before = metrics();

        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profiles = new TopicReader(bootstrap, Topics.PROFILES);
                TopicReader audienceEvents = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            Runs.send(producer, record);
            // The very same event again (same ce_id), as a redelivery would bring it.
            RecordMetadata duplicate = Runs.send(
                    producer,
                    new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers()));

            profiles.awaitKey(runId.toString(), recs -> types(recs).contains(EventType.PROFILE_STREAM_COMPLETED));
            audienceEvents.awaitKey(runId.toString(), recs -> types(recs).contains(EventType.AUDIENCE_RESOLVED));
            Runs.awaitConsumed(bootstrap, duplicate);
            profiles.drainToEnd();
            audienceEvents.drainToEnd();

            List<IncomingEvent> stream = profiles.forKey(runId.toString()).stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(EventType.PROFILE_STREAM_STARTED, stream.get(0).type());
            assertEquals(
                    EventType.PROFILE_STREAM_COMPLETED,
                    stream.get(stream.size() - 1).type());
            assertEquals(
                    1,
                    stream.stream()
                            .filter(e -> e.type() == EventType.PROFILE_STREAM_STARTED)
                            .count());
            assertEquals(
                    1,
                    stream.stream()
                            .filter(e -> e.type() == EventType.PROFILE_STREAM_COMPLETED)
                            .count());

            ProfileStreamStarted started = stream.get(0).data(ProfileStreamStarted.class);
            assertEquals(run.campaignId(), started.campaignId());
            assertEquals("Spring mailing", started.campaignName());
            assertEquals(spec, started.spec());
            assertEquals(run.requestedAt(), started.requestedAt());
            assertEquals(
                    List.of("identity.id", "person.name.lastName", "homeAddress.city", "attributes.loyalty.tier"),
                    started.fields());

            for (IncomingEvent e : stream.subList(1, stream.size() - 1)) {
                assertEquals(EventType.PROFILES_STREAMED, e.type(), "profiles travel in batches");
            }
            List<Runs.Profile> rows = Runs.profiles(stream);
            Map<String, List<String>> actual = new HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                Runs.Profile row = rows.get(i);
                assertEquals(started.attemptId(), row.attemptId());
                assertEquals(i + 1, row.seq());
                assertTrue(actual.put(row.profileId(), row.values()) == null, "profile streamed twice");
            }
            assertEquals(expectedValues, actual);

            ProfileStreamCompleted completed = stream.get(stream.size() - 1).data(ProfileStreamCompleted.class);
            assertEquals(started.attemptId(), completed.attemptId());
            assertEquals(expectedMatched, completed.matched());
            assertEquals(expectedValues.size(), completed.streamed());
            assertEquals(expectedNoConsent, completed.excluded().noConsent());
            assertTrue(expectedNoConsent > 0 && expectedValues.size() > 100);

            List<IncomingEvent> events = audienceEvents.forKey(runId.toString()).stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(
                    List.of(EventType.AUDIENCE_RESOLUTION_STARTED, EventType.AUDIENCE_RESOLVED),
                    events.stream().map(IncomingEvent::type).toList());
            assertEquals(
                    started.attemptId(),
                    events.get(0).data(AudienceResolutionStarted.class).attemptId());
            AudienceResolved resolved = events.get(1).data(AudienceResolved.class);
            assertEquals(
                    new AudienceResolved(
                            runId, started.attemptId(), expectedMatched, expectedValues.size(), completed.excluded()),
                    resolved);
            assertEquals("/mailshot/audience-service", events.get(1).source());

            // What an operator's Prometheus reads: the streamed profiles once (not again for the duplicate
            // request), the exclusions by reason, and one resolution in the stage durations.
            String durations = Metrics.prometheus(Metrics.STAGE_DURATION) + "_seconds_count";
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() ->
                            delta(before, metrics(), durations, "stage", "resolution", "outcome", "completed") == 1);
            String after = metrics();
            assertEquals(expectedValues.size(), delta(before, after, Metrics.counterSeries(Metrics.PROFILES_RESOLVED)));
            assertEquals(
                    expectedNoConsent,
                    delta(before, after, Metrics.counterSeries(Metrics.PROFILES_EXCLUDED), "reason", "no-consent"));
            assertEquals(
                    expectedNoConsent,
                    delta(before, after, Metrics.counterSeries(Metrics.PROFILES_EXCLUDED)),
                    "no other exclusion in this run");
            // Every Reactive Messaging channel's group and topic has a lag gauge, found in the configuration.
            for (String topic : List.of(Topics.RUNS, Topics.AUDIENCE_SLICES, Topics.RUN_CANCELLATIONS)) {
                assertTrue(
                        after.lines()
                                .anyMatch(line -> line.startsWith(Metrics.prometheus(Metrics.CONSUMER_LAG) + "{")
                                        && line.contains("group=\"audience-service\"")
                                        && line.contains("topic=\"" + topic + "\"")),
                        "consumer lag of audience-service on " + topic);
            }
        }
    }

    /** {@code /q/metrics} is open without sign-in, as a Prometheus scraper reads it. */
    static String metrics() {
        return RestAssured.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    static long delta(String before, String after, String series, String... labels) {
        return Math.round(PrometheusSamples.sum(after, series, labels) - PrometheusSamples.sum(before, series, labels));
    }

    @Test
    void aCancelledRunIsNotResolvedAndItsStreamEndsWithTheCancellation() throws Exception {
        UUID audienceId = Runs.audience("cancelled audience " + UUID.randomUUID(), List.of());
        UUID runId = UUID.randomUUID();
        RunRequested run = new RunRequested(
                runId,
                UUID.randomUUID(),
                "Cancelled",
                audienceId,
                new RunSpec("cancelled.csv", List.of(new FileColumn("Id", "identity.id")), UUID.randomUUID(), "crmId"),
                Instant.now(),
                Actor.SYSTEM);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profiles = new TopicReader(bootstrap, Topics.PROFILES)) {
            RecordMetadata cancel = Runs.send(
                    producer,
                    codec.encode(
                            Topics.RUN_CANCELLATIONS,
                            runId.toString(),
                            CAMPAIGN_SOURCE,
                            new RunCancelled(runId, "cancelled by test", Actor.SYSTEM)));
            Runs.awaitConsumed(bootstrap, cancel);
            RecordMetadata sent =
                    Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), CAMPAIGN_SOURCE, run));
            List<EventType> streamed = types(profiles.awaitKey(runId.toString(), recs -> !recs.isEmpty()));
            Runs.awaitConsumed(bootstrap, sent);
            profiles.drainToEnd();
            assertEquals(
                    List.of(EventType.PROFILE_STREAM_CANCELLED),
                    types(profiles.forKey(runId.toString())),
                    "no profile of a cancelled run is streamed: " + streamed);
        }
    }

    @Test
    void aRunOfAnUnknownAudienceFails() throws Exception {
        UUID runId = UUID.randomUUID();
        UUID audienceId = UUID.randomUUID();
        RunRequested run = new RunRequested(
                runId,
                UUID.randomUUID(),
                "Ghost",
                audienceId,
                new RunSpec("ghost.csv", List.of(new FileColumn("Id", "identity.id")), UUID.randomUUID(), "crmId"),
                Instant.now(),
                Actor.SYSTEM);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profiles = new TopicReader(bootstrap, Topics.PROFILES);
                TopicReader audienceEvents = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            RecordMetadata sent =
                    Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), CAMPAIGN_SOURCE, run));
            List<IncomingEvent> events = audienceEvents.awaitKey(runId.toString(), recs -> !recs.isEmpty()).stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(EventType.AUDIENCE_RESOLUTION_FAILED, events.get(0).type());
            assertEquals(
                    new AudienceResolutionFailed(runId, "audience " + audienceId + " does not exist"),
                    events.get(0).data(AudienceResolutionFailed.class));
            Runs.awaitConsumed(bootstrap, sent);
            profiles.drainToEnd();
            assertEquals(List.of(), profiles.forKey(runId.toString()));
        }
    }

    @Test
    void aRunWhoseColumnPathIsNotAnAttributePathFails() throws Exception {
        UUID audienceId = Runs.audience("unsafe columns " + UUID.randomUUID(), List.of());
        UUID runId = UUID.randomUUID();
        RunRequested run = new RunRequested(
                runId,
                UUID.randomUUID(),
                "Unsafe",
                audienceId,
                new RunSpec(
                        "unsafe.csv",
                        List.of(
                                new FileColumn("Id", "identity.id"),
                                new FileColumn("Evil", "a'); drop table profile; --")),
                        UUID.randomUUID(),
                        "crmId"),
                Instant.now(),
                Actor.SYSTEM);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader audienceEvents = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), CAMPAIGN_SOURCE, run));
            List<IncomingEvent> events = audienceEvents.awaitKey(runId.toString(), recs -> !recs.isEmpty()).stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(
                    new AudienceResolutionFailed(runId, "spec.columns[1].path is not a valid attribute path"),
                    events.get(0).data(AudienceResolutionFailed.class));
        }
        // The profile table is intact.
        RestAssured.given()
                .when()
                .get("/audiences/" + audienceId + "/estimate")
                .then()
                .statusCode(200);
    }

    static List<EventType> types(List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .map(r -> EventType.ofType(
                                new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                        .orElseThrow())
                .toList();
    }
}
