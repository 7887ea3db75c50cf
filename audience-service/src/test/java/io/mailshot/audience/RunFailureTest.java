package io.mailshot.audience;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolutionFailed;
import io.mailshot.events.EventType;
import io.mailshot.events.FileColumn;
import io.mailshot.events.ProfileStreamAbandoned;
import io.mailshot.events.RunCancelled;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * One run whose resolution keeps failing (an injected fault in the real database: its resolution can never be
 * recorded) is retried with back-off and then FAILS with its reason, while the run requested after it is resolved;
 * a run cancelled while it waits for its next try is never tried again.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class RunFailureTest {

    private static final String CAMPAIGN_SOURCE = "/mailshot/campaign-service";

    @Inject
    EventCodec codec;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mailshot.retry.max-tries")
    int maxTries;

    @Test
    void aRunThatCannotBeResolvedFailsAfterItsTriesWhileTheNextRunIsResolved() throws Exception {
        UUID audienceId = audienceOfOne();
        UUID failing = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        refuseResolutionOf(failing);

        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profiles = new TopicReader(bootstrap, Topics.PROFILES);
                TopicReader audienceEvents = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            Runs.send(
                    producer, codec.encode(Topics.RUNS, failing.toString(), CAMPAIGN_SOURCE, run(failing, audienceId)));
            Runs.send(producer, codec.encode(Topics.RUNS, next.toString(), CAMPAIGN_SOURCE, run(next, audienceId)));

            List<ConsumerRecord<String, String>> resolved =
                    audienceEvents.awaitKey(next.toString(), recs -> types(recs).contains(EventType.AUDIENCE_RESOLVED));
            List<ConsumerRecord<String, String>> failed = audienceEvents.awaitKey(
                    failing.toString(), recs -> types(recs).contains(EventType.AUDIENCE_RESOLUTION_FAILED));
            AudienceResolutionFailed failure =
                    event(failed, EventType.AUDIENCE_RESOLUTION_FAILED).data(AudienceResolutionFailed.class);
            assertTrue(failure.reason().startsWith("gave up after " + maxTries + " tries: "), failure.reason());
            assertTrue(failure.reason().contains("injected fault"), failure.reason());
            assertEquals(maxTries, tries(failing));
            // Resolved while the failing run was still being tried, not after it gave up.
            assertTrue(record(resolved, EventType.AUDIENCE_RESOLVED).timestamp()
                    <= record(failed, EventType.AUDIENCE_RESOLUTION_FAILED).timestamp());

            // Downstream lets go of it: its profile stream is the abandonment alone (no try got to stream).
            List<IncomingEvent> stream = profiles
                    .awaitKey(failing.toString(), recs -> types(recs).contains(EventType.PROFILE_STREAM_ABANDONED))
                    .stream()
                    .map(codec::decode)
                    .toList();
            assertEquals(
                    List.of(EventType.PROFILE_STREAM_ABANDONED),
                    stream.stream().map(IncomingEvent::type).toList());
            assertEquals(
                    failure.reason(),
                    stream.get(0).data(ProfileStreamAbandoned.class).reason());
            audienceEvents.drainToEnd();
            assertEquals(
                    1,
                    audienceEvents.forKey(failing.toString()).stream()
                            .filter(r -> codec.decode(r).type() == EventType.AUDIENCE_RESOLUTION_FAILED)
                            .count());
        }
    }

    @Test
    void aRunCancelledWhileItWaitsForItsNextTryIsNeverTriedAgain() throws Exception {
        UUID audienceId = audienceOfOne();
        UUID runId = UUID.randomUUID();
        refuseResolutionOf(runId);
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader profiles = new TopicReader(bootstrap, Topics.PROFILES)) {
            Runs.send(producer, codec.encode(Topics.RUNS, runId.toString(), CAMPAIGN_SOURCE, run(runId, audienceId)));
            await().atMost(Duration.ofSeconds(60)).until(() -> tries(runId) >= 1 && lastError(runId) != null);
            Runs.send(
                    producer,
                    codec.encode(
                            Topics.RUN_CANCELLATIONS,
                            runId.toString(),
                            CAMPAIGN_SOURCE,
                            new RunCancelled(runId, "cancelled by test", Actor.SYSTEM)));

            profiles.awaitKey(runId.toString(), recs -> types(recs).contains(EventType.PROFILE_STREAM_CANCELLED));
            int tries = tries(runId);
            assertTrue(tries < maxTries, "cancelled before its last try");
            // Longer than every remaining back-off: no further try, no failure announced, no retry left waiting.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> tries(runId) == tries && pendingRetries(runId) == 0);
            assertTrue(types(profiles.forKey(runId.toString())).stream()
                    .noneMatch(t -> t == EventType.PROFILE_STREAM_ABANDONED));
        }
    }

    /** A new audience that matches one new consenting profile. */
    private static UUID audienceOfOne() {
        String tag = UUID.randomUUID().toString();
        Profiles.post(Profiles.line("P1-" + tag, "FR", "Lyon", "Martin", "y", "gold", tag, false, null) + "\n")
                .statusCode(200);
        return Runs.audience("one " + tag, List.of(Map.of("path", "attributes.tag", "op", "eq", "value", tag)));
    }

    private static RunRequested run(UUID runId, UUID audienceId) {
        RunSpec spec = new RunSpec(
                "failing.csv", List.of(new FileColumn("Customer", "identity.id")), UUID.randomUUID(), "crmId");
        return new RunRequested(
                runId,
                UUID.randomUUID(),
                "Failing mailing",
                audienceId,
                spec,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Actor.SYSTEM);
    }

    /**
     * A fault injected in the real database, for this run only: its resolution can never start (the outbox
     * refuses its AudienceResolutionStarted), as when something about one run breaks a constraint.
     */
    private void refuseResolutionOf(UUID runId) throws Exception {
        String suffix = runId.toString().replace("-", "");
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("create or replace function refuse_" + suffix + "() returns trigger language plpgsql as $$"
                    + " begin if new.record_key = '" + runId + "' and new.type = '"
                    + EventType.AUDIENCE_RESOLUTION_STARTED.type()
                    + "' then raise exception 'injected fault for the test';"
                    + " end if; return new; end $$");
            s.execute("create trigger refuse_" + suffix + " before insert on outbox for each row execute function"
                    + " refuse_" + suffix + "()");
        }
    }

    private int tries(UUID runId) throws Exception {
        return intQuery("select coalesce(max(tries), 0) from run_try where stage = 'audience' and run_id = ?", runId);
    }

    private int pendingRetries(UUID runId) throws Exception {
        return intQuery("select count(*) from deferred_work where run_id = ?", runId);
    }

    private String lastError(UUID runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select last_error from run_try where stage = 'audience' and run_id = ?")) {
            s.setObject(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private int intQuery(String sql, UUID runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<EventType> types(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> codec.decode(r).type()).toList();
    }

    private IncomingEvent event(List<ConsumerRecord<String, String>> records, EventType type) {
        return codec.decode(record(records, type));
    }

    private ConsumerRecord<String, String> record(List<ConsumerRecord<String, String>> records, EventType type) {
        return records.stream()
                .filter(r -> codec.decode(r).type() == type)
                .findFirst()
                .orElseThrow();
    }
}
