package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.persistence.ContactHistoryRepository;
import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolutionFailed;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.EventType;
import io.mailshot.events.ExclusionCounts;
import io.mailshot.events.FileColumn;
import io.mailshot.events.PressureCheck;
import io.mailshot.events.PressureRule;
import io.mailshot.events.ProfileStreamCompleted;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mail-pressure rules at resolution, over a contact history of two campaigns written as fixtures: each scope stops
 * exactly the profiles it should, with the counts in both completion events, and the pressure check counts what a
 * run stops.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class MailPressureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private String tag;
    private UUID audienceId;
    private final UUID campaignA = UUID.randomUUID();
    private final UUID campaignB = UUID.randomUUID();

    /**
     * Eight profiles, each on an address of its own except the household H1a/H1b, and their history (days ago,
     * campaign, held out or mailed):
     *
     * <ul>
     *   <li>P1: A -5, B -3 (two mailings);
     *   <li>P2: B -2, and three held-out rows of A -1 (held out: never mailed, never counted);
     *   <li>P3: A -100, A -120 (outside a 30-day window);
     *   <li>H1a: A -4; H1b: B -6 (one household, two mailings);
     *   <li>C1: A -5;
     *   <li>N1: nothing;
     *   <li>X1 (no consent): A -1 three times (excluded for consent first).
     * </ul>
     */
    @BeforeEach
    void profilesAndHistory() throws Exception {
        tag = UUID.randomUUID().toString().substring(0, 8);
        String body = String.join(
                "\n",
                line("P1", "1", "Abel", "y"),
                line("P2", "2", "Baker", "y"),
                line("P3", "3", "Clark", "y"),
                line("H1a", "4", "Dunn", "y"),
                line("H1b", "4", "Dunn", "y"),
                line("C1", "5", "Evans", "y"),
                line("N1", "6", "Frost", "y"),
                line("X1", "7", "Grey", "n"));
        Profiles.post(body).statusCode(200).body("accepted", Matchers.equalTo(8));
        audienceId =
                Runs.audience("pressure " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));
        contact(campaignA, 5, false, "P1");
        contact(campaignB, 3, false, "P1");
        contact(campaignB, 2, false, "P2");
        for (int i = 0; i < 3; i++) {
            contact(campaignA, 1, true, "P2");
            contact(campaignA, 1, false, "X1");
        }
        contact(campaignA, 100, false, "P3");
        contact(campaignA, 120, false, "P3");
        contact(campaignA, 4, false, "H1a");
        contact(campaignB, 6, false, "H1b");
        contact(campaignA, 5, false, "C1");
    }

    private String line(String id, String house, String lastName, String consent) throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("identity", Map.of("namespace", "crmId", "id", id + "-" + tag));
        p.put("person", Map.of("name", Map.of("lastName", lastName)));
        p.put(
                "homeAddress",
                Map.of(
                        "street1",
                        house + " Pressure Road " + tag,
                        "postalCode",
                        "PR1",
                        "city",
                        "Preston",
                        "countryCode",
                        "GB"));
        p.put("consents", Map.of("marketing", Map.of("postalMail", Map.of("val", consent))));
        p.put("attributes", Map.of("tag", tag));
        return JSON.writeValueAsString(p);
    }

    /**
     * One recording of history rows, as a delivered run's is written (through the same code, so flagged alike): the
     * profiles {@code ids} with their identity and household key as stored, all contacted {@code daysAgo}.
     */
    private void contact(UUID campaign, int daysAgo, boolean holdout, String... ids) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ContactHistoryRepository.lock(c);
                String[] identities =
                        Arrays.stream(ids).map(id -> id + "-" + tag).toArray(String[]::new);
                long[] added = ContactHistoryRepository.add(
                        c,
                        "select ?::uuid, ?::uuid, namespace, identity, household_key, 'f.csv', 1, null::text,"
                                + " ?::boolean, now() - make_interval(days => ?::integer) from profile"
                                + " where namespace = 'crmId' and identity = any (?)",
                        List.of(UUID.randomUUID(), campaign, holdout, daysAgo, c.createArrayOf("text", identities)));
                assertEquals(ids.length, holdout ? added[1] : added[0]);
                c.commit();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static PressureRule rule(String scope, int max, int days) {
        return new PressureRule(UUID.randomUUID(), scope + " " + max + "/" + days, scope, max, days);
    }

    private record Result(List<String> streamed, ExclusionCounts excluded, long matched) {}

    /** Runs the audience for a campaign and returns the streamed ids (sorted) and the counts, checked twice. */
    private Result run(UUID campaign, String dedup, List<PressureRule> rules) throws Exception {
        UUID runId = UUID.randomUUID();
        RunRequested run = new RunRequested(
                runId,
                campaign,
                "Pressure",
                audienceId,
                Runs.identitySpec(null, dedup, rules),
                Instant.now(),
                Actor.SYSTEM);
        List<IncomingEvent> stream = Runs.resolve(bootstrap, codec, run);
        ProfileStreamCompleted completed = stream.get(stream.size() - 1).data(ProfileStreamCompleted.class);
        List<String> ids = Runs.profiles(stream).stream()
                .map(r -> r.profileId().substring(0, r.profileId().indexOf('-')))
                .sorted()
                .toList();
        assertEquals(completed.streamed(), ids.size());
        assertEquals(
                completed.matched(), completed.streamed() + completed.excluded().total());
        try (TopicReader events = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            AudienceResolved resolved = events
                    .awaitKey(
                            runId.toString(),
                            recs -> RunResolutionTest.types(recs).contains(EventType.AUDIENCE_RESOLVED))
                    .stream()
                    .map(codec::decode)
                    .filter(e -> e.type() == EventType.AUDIENCE_RESOLVED)
                    .findFirst()
                    .orElseThrow()
                    .data(AudienceResolved.class);
            assertEquals(completed.excluded(), resolved.excluded());
            assertEquals(completed.streamed(), resolved.streamed());
        }
        return new Result(ids, completed.excluded(), completed.matched());
    }

    private static ExclusionCounts pressure(long noConsent, long duplicate, long pressure) {
        return new ExclusionCounts(noConsent, 0, 0, duplicate, 0, 0, pressure);
    }

    @Test
    void withoutRulesNothingIsStopped() throws Exception {
        Result none = run(campaignA, null, null);
        assertEquals(8, none.matched());
        assertEquals(pressure(1, 0, 0), none.excluded());
        assertEquals(List.of("C1", "H1a", "H1b", "N1", "P1", "P2", "P3"), none.streamed());
        assertEquals(none, run(campaignA, null, List.of()));
    }

    @Test
    void eachScopeStopsExactlyItsProfiles() throws Exception {
        // Per profile, at most 2 in 30 days: P1 has two mailings; P2's held-out rows and P3's old ones do not count.
        Result profile = run(campaignA, null, List.of(rule(PressureRule.PROFILE, 2, 30)));
        assertEquals(pressure(1, 0, 1), profile.excluded());
        assertEquals(List.of("C1", "H1a", "H1b", "N1", "P2", "P3"), profile.streamed());

        // A longer window reaches P3's old mailings too.
        Result longer = run(campaignA, null, List.of(rule(PressureRule.PROFILE, 2, 365)));
        assertEquals(List.of("C1", "H1a", "H1b", "N1", "P2"), longer.streamed());

        // Per household: H1a and H1b have one mailing each, two together; P1 is a household of its own.
        Result household = run(campaignA, null, List.of(rule(PressureRule.HOUSEHOLD, 2, 30)));
        assertEquals(pressure(1, 0, 3), household.excluded());
        assertEquals(List.of("C1", "N1", "P2", "P3"), household.streamed());

        // Not again within 30 days of the same campaign: it depends on the run's campaign.
        Result inA = run(campaignA, null, List.of(rule(PressureRule.CAMPAIGN, 1, 30)));
        assertEquals(pressure(1, 0, 3), inA.excluded());
        assertEquals(List.of("H1b", "N1", "P2", "P3"), inA.streamed());
        Result inB = run(campaignB, null, List.of(rule(PressureRule.CAMPAIGN, 1, 30)));
        assertEquals(pressure(1, 0, 3), inB.excluded());
        assertEquals(List.of("C1", "H1a", "N1", "P3"), inB.streamed());
    }

    @Test
    void contactsCountAlikeWhetherInOneRunOrAcrossRuns() throws Exception {
        Profiles.post(String.join(
                        "\n",
                        line("H2a", "8", "Hale", "y"),
                        line("H2b", "8", "Hale", "y"),
                        line("T1", "9", "Toms", "y")))
                .statusCode(200)
                .body("accepted", Matchers.equalTo(3));
        // H2a and H2b share a household and are mailed by one run: two contacts of one household, neither of them
        // before. T1 is mailed by three runs, 20, 10 and 5 days ago.
        contact(campaignA, 3, false, "H2a", "H2b");
        contact(campaignA, 20, false, "T1");
        contact(campaignB, 10, false, "T1");
        contact(campaignA, 5, false, "T1");

        // Per household, at most 2 in 30 days: P1, H1a and H1b as before, H2a and H2b (one run), T1 (three).
        Result household = run(campaignA, null, List.of(rule(PressureRule.HOUSEHOLD, 2, 30)));
        assertEquals(pressure(1, 0, 6), household.excluded());
        assertEquals(List.of("C1", "N1", "P2", "P3"), household.streamed());

        // At most 3 in 30 days: T1 alone; its first contact counts as much as the others.
        Result three = run(campaignA, null, List.of(rule(PressureRule.PROFILE, 3, 30)));
        assertEquals(pressure(1, 0, 1), three.excluded());
        assertEquals(List.of("C1", "H1a", "H1b", "H2a", "H2b", "N1", "P1", "P2", "P3"), three.streamed());

        // In 15 days T1 has two contacts: a rule of 3 stops nobody, a rule of 2 stops T1 and P1.
        Result shorter = run(campaignA, null, List.of(rule(PressureRule.PROFILE, 3, 15)));
        assertEquals(pressure(1, 0, 0), shorter.excluded());
        Result two = run(campaignA, null, List.of(rule(PressureRule.PROFILE, 2, 15)));
        assertEquals(pressure(1, 0, 2), two.excluded());
        assertEquals(List.of("C1", "H1a", "H1b", "H2a", "H2b", "N1", "P2", "P3"), two.streamed());

        // At most 2 of the same campaign in 30 days: T1 had two of A (its first contact among them), one of B.
        Result sameA = run(campaignA, null, List.of(rule(PressureRule.CAMPAIGN, 2, 30)));
        assertEquals(pressure(1, 0, 1), sameA.excluded());
        assertEquals(List.of("C1", "H1a", "H1b", "H2a", "H2b", "N1", "P1", "P2", "P3"), sameA.streamed());
        Result sameB = run(campaignB, null, List.of(rule(PressureRule.CAMPAIGN, 2, 30)));
        assertEquals(pressure(1, 0, 0), sameB.excluded());
    }

    @Test
    void dedupPicksAmongTheProfilesThatMayBeMailed() throws Exception {
        // Without a rule H1a wins its household and H1b is the duplicate.
        Result plain = run(campaignA, "HOUSEHOLD", null);
        assertEquals(pressure(1, 1, 0), plain.excluded());
        assertEquals(List.of("C1", "H1a", "N1", "P1", "P2", "P3"), plain.streamed());
        // When the rule stops H1a, H1b is the one the household is mailed at, not a duplicate.
        Result ruled = run(campaignA, "HOUSEHOLD", List.of(rule(PressureRule.CAMPAIGN, 1, 30)));
        assertEquals(pressure(1, 0, 3), ruled.excluded());
        assertEquals(List.of("H1b", "N1", "P2", "P3"), ruled.streamed());
    }

    @Test
    void pressureCheckCountsWhatARunStops() throws Exception {
        List<PressureRule> rules = List.of(
                rule(PressureRule.PROFILE, 2, 30),
                rule(PressureRule.HOUSEHOLD, 2, 30),
                rule(PressureRule.CAMPAIGN, 1, 30));
        PressureCheck.Result check = given().contentType(ContentType.JSON)
                .body(JSON.writeValueAsString(new PressureCheck(campaignA, rules)))
                .when()
                .post("/audiences/{id}/pressure-check", audienceId)
                .then()
                .statusCode(200)
                .extract()
                .as(PressureCheck.Result.class);
        assertEquals(
                new PressureCheck.Result(
                        7,
                        4,
                        List.of(
                                new PressureCheck.RuleCount(
                                        rules.get(0).id(), rules.get(0).name(), 1),
                                new PressureCheck.RuleCount(
                                        rules.get(1).id(), rules.get(1).name(), 3),
                                new PressureCheck.RuleCount(
                                        rules.get(2).id(), rules.get(2).name(), 3))),
                check);
        Result run = run(campaignA, null, rules);
        assertEquals(check.stopped(), run.excluded().pressure());
        assertEquals(List.of("N1", "P2", "P3"), run.streamed());
    }

    @Test
    void badRulesAreRefusedNamingTheField() throws Exception {
        String path = "/audiences/" + audienceId + "/pressure-check";
        refused(
                path,
                "{\"campaignId\":null,\"rules\":[{\"scope\":\"CITY\",\"maxContacts\":1,\"days\":30}]}",
                "rules[0].scope");
        refused(path, "{\"rules\":[{\"scope\":\"PROFILE\",\"maxContacts\":0,\"days\":30}]}", "rules[0].maxContacts");
        refused(path, "{\"rules\":[{\"scope\":\"PROFILE\",\"maxContacts\":1,\"days\":3651}]}", "rules[0].days");
        refused(path, "{\"rules\":[{\"scope\":\"CAMPAIGN\",\"maxContacts\":1,\"days\":30}]}", "campaignId");
        given().contentType(ContentType.JSON)
                .body("{\"rules\":[],\"extra\":1}")
                .when()
                .post(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"rules\":[]}")
                .when()
                .post("/audiences/" + UUID.randomUUID() + "/pressure-check")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRunWithABadRuleFails() throws Exception {
        UUID runId = UUID.randomUUID();
        RunSpec spec = new RunSpec(
                "x.csv",
                List.of(new FileColumn("Id", "identity.id")),
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
                null,
                null,
                null,
                List.of(rule(PressureRule.PROFILE, 1, 30), rule("CITY", 1, 30)),
                null,
                null);
        RunRequested run = new RunRequested(runId, campaignA, "Bad", audienceId, spec, Instant.now(), Actor.SYSTEM);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader events = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), "/mailshot/campaign-service", run));
            List<IncomingEvent> got = events.awaitKey(runId.toString(), recs -> !recs.isEmpty()).stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(
                    new AudienceResolutionFailed(
                            runId, "spec.pressureRules[1].scope must be PROFILE, HOUSEHOLD or CAMPAIGN"),
                    got.get(0).data(AudienceResolutionFailed.class));
        }
    }

    private static void refused(String path, String body, String field) {
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("field", equalTo(field));
    }
}
