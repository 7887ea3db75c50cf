package io.mailshot.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolved;
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
import io.mailshot.kit.metrics.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A run split into slices: every slice is streamed with its own markers, the slices together carry each
 * eligible profile exactly once, household dedup stays exact across the split (duplicates share a slice),
 * and the run is announced resolved once, with the sums of the slices.
 */
@QuarkusTest
@TestProfile(SlicedResolutionTest.FourSlices.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class SlicedResolutionTest {

    /** The same service, configured to split every run into four slices. */
    public static class FourSlices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailshot.audience.stream.slices", "4");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HOUSEHOLDS = 300;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void slicesTogetherStreamEveryEligibleProfileOnceWithExactHouseholdDedup() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder ndjson = new StringBuilder();
        // Expected outcome, computed independently of the service: per household, the members with consent;
        // the lowest identity among them is streamed, the others are duplicates.
        Map<Integer, TreeSet<String>> eligibleByHousehold = new HashMap<>();
        int profiles = 0;
        int noConsent = 0;
        for (int h = 0; h < HOUSEHOLDS; h++) {
            int members = h % 3 == 0 ? 3 : 1;
            for (int m = 0; m < members; m++) {
                String id = String.format("H%03d%c-%s", h, (char) ('a' + m), tag);
                boolean consent = (h * 7 + m) % 10 != 0;
                // Members spell the household differently: case and "Street" vs "St.".
                String street = m == 0 ? h + " Main Street" : h + " main st.";
                String lastName = m == 2 ? ("SMITH" + h) : ("Smith" + h);
                ndjson.append(line(id, consent ? "y" : "n", street, "P" + h, lastName, tag))
                        .append('\n');
                profiles++;
                if (consent) {
                    eligibleByHousehold.computeIfAbsent(h, k -> new TreeSet<>()).add(id);
                } else {
                    noConsent++;
                }
            }
        }
        Profiles.post(ndjson.toString()).statusCode(200).body("accepted", Matchers.equalTo(profiles));
        UUID audienceId =
                Runs.audience("sliced " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));
        Set<String> expected = new HashSet<>();
        long duplicates = 0;
        for (TreeSet<String> members : eligibleByHousehold.values()) {
            expected.add(members.first());
            duplicates += members.size() - 1;
        }

        UUID runId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "sliced.csv",
                List.of(new FileColumn("Id", "identity.id"), new FileColumn("Name", "person.name.lastName")),
                UUID.randomUUID(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "HOUSEHOLD",
                null);
        RunRequested run =
                new RunRequested(runId, UUID.randomUUID(), "Sliced", audienceId, spec, Instant.now(), Actor.SYSTEM);
        List<IncomingEvent> stream;
        AudienceResolved resolved;
        String metricsBefore;
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profileTopic = new TopicReader(bootstrap, Topics.PROFILES);
                TopicReader audienceEvents = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            metricsBefore = RunResolutionTest.metrics();
            Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), "/mailshot/campaign-service", run));
            stream = profileTopic
                    .awaitKey(
                            runId.toString(),
                            recs -> RunResolutionTest.types(recs).stream()
                                            .filter(t -> t == EventType.PROFILE_STREAM_COMPLETED)
                                            .count()
                                    == 4)
                    .stream()
                    .map(codec::decode)
                    .toList();
            resolved = codec.decode(audienceEvents
                            .awaitKey(
                                    runId.toString(),
                                    recs -> RunResolutionTest.types(recs).contains(EventType.AUDIENCE_RESOLVED))
                            .stream()
                            .filter(r -> RunResolutionTest.types(List.of(r)).contains(EventType.AUDIENCE_RESOLVED))
                            .findFirst()
                            .orElseThrow())
                    .data(AudienceResolved.class);
        }

        Map<UUID, Integer> sliceOfAttempt = new HashMap<>();
        Map<Integer, ProfileStreamCompleted> completedBySlice = new LinkedHashMap<>();
        Map<Integer, Long> rowsBySlice = new HashMap<>();
        List<String> streamedIds = new ArrayList<>();
        for (IncomingEvent e : stream) {
            switch (e.type()) {
                case PROFILE_STREAM_STARTED -> {
                    ProfileStreamStarted started = e.data(ProfileStreamStarted.class);
                    assertEquals(4, started.slices());
                    sliceOfAttempt.put(started.attemptId(), started.slice());
                }
                case PROFILES_STREAMED -> {
                    for (Runs.Profile row : Runs.profiles(List.of(e))) {
                        streamedIds.add(row.profileId());
                        rowsBySlice.merge(sliceOfAttempt.get(row.attemptId()), 1L, Long::sum);
                    }
                }
                case PROFILE_STREAM_COMPLETED -> {
                    ProfileStreamCompleted c = e.data(ProfileStreamCompleted.class);
                    assertEquals(sliceOfAttempt.get(c.attemptId()), c.slice(), "a marker names its attempt's slice");
                    completedBySlice.put(c.slice(), c);
                }
                default -> {}
            }
        }
        assertEquals(Set.of(0, 1, 2, 3), completedBySlice.keySet(), "one completed attempt per slice");
        assertEquals(expected.size(), streamedIds.size(), "no profile is streamed twice");
        assertEquals(expected, new HashSet<>(streamedIds));
        long matched = 0;
        for (Map.Entry<Integer, ProfileStreamCompleted> e : completedBySlice.entrySet()) {
            assertEquals(
                    e.getValue().streamed(),
                    rowsBySlice.getOrDefault(e.getKey(), 0L),
                    "slice " + e.getKey() + " streamed what its marker announces");
            matched += e.getValue().matched();
            assertTrue(e.getValue().streamed() > 0, "300 households hash into every one of four slices");
        }
        assertEquals(profiles, matched);
        ExclusionCounts excluded = new ExclusionCounts(noConsent, 0, 0, duplicates, 0);
        assertEquals(new AudienceResolved(runId, resolved.attemptId(), profiles, expected.size(), excluded), resolved);
        // The stage is timed once, by the replica whose slice landed last, not once per slice.
        String durations = Metrics.prometheus(Metrics.STAGE_DURATION) + "_seconds_count";
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> RunResolutionTest.delta(
                                metricsBefore,
                                RunResolutionTest.metrics(),
                                durations,
                                "stage",
                                "resolution",
                                "outcome",
                                "completed")
                        >= 1);
        assertEquals(
                1,
                RunResolutionTest.delta(
                        metricsBefore,
                        RunResolutionTest.metrics(),
                        durations,
                        "stage",
                        "resolution",
                        "outcome",
                        "completed"));
    }

    private static String line(String id, String consent, String street, String postal, String lastName, String tag)
            throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("identity", Map.of("namespace", "crmId", "id", id));
        p.put("person", Map.of("name", Map.of("lastName", lastName)));
        p.put("homeAddress", Map.of("street1", street, "postalCode", postal, "city", "Bath", "countryCode", "GB"));
        p.put("consents", Map.of("marketing", Map.of("postalMail", Map.of("val", consent))));
        p.put("attributes", Map.of("tag", tag));
        return JSON.writeValueAsString(p);
    }
}
