package io.mailshot.audience;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mailshot.events.Actor;
import io.mailshot.events.AudienceResolved;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.EventType;
import io.mailshot.events.FileColumn;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class RunDeadLetterTest {

    private static final String DEAD_LETTER = Topics.DEAD_LETTER_PREFIX + "audience";

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void malformedRecordsAreDeadLetteredAndLaterRunsStillResolve() throws Exception {
        String tag = UUID.randomUUID().toString();
        Profiles.post(Profiles.line("D1-" + tag, "FR", "Lyon", "A", "y", "gold", tag, false, null))
                .statusCode(200);
        UUID audienceId = Runs.audience(
                "dead letter " + tag,
                List.of(Map.<String, Object>of("path", "attributes.tag", "op", "eq", "value", tag)));
        UUID runId = UUID.randomUUID();
        RunRequested run = new RunRequested(
                runId,
                UUID.randomUUID(),
                "After the poison",
                audienceId,
                new RunSpec("after.csv", List.of(new FileColumn("Id", "identity.id")), UUID.randomUUID(), "crmId"),
                Instant.now(),
                Actor.SYSTEM);
        ProducerRecord<String, String> valid = codec.encode(Topics.RUNS, runId.toString(), "/test", run);

        // No ce_type header.
        String noTypeKey = "no-type-" + tag;
        ProducerRecord<String, String> noType = new ProducerRecord<>(Topics.RUNS, noTypeKey, valid.value());
        for (Header h : valid.headers()) {
            if (!h.key().equals(CloudEventHeaders.TYPE)) {
                noType.headers().add(h.key(), h.value());
            }
        }
        // Right headers, data that is not JSON.
        String badJsonKey = "bad-json-" + tag;
        ProducerRecord<String, String> badJson = codec.encode(
                Topics.RUNS,
                badJsonKey,
                UUID.randomUUID().toString(),
                EventType.RUN_REQUESTED.type(),
                "/test",
                Instant.now(),
                "{not json");

        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader deadLetters = new TopicReader(bootstrap, DEAD_LETTER);
                TopicReader audienceEvents = new TopicReader(bootstrap, Topics.AUDIENCE_EVENTS)) {
            Runs.send(producer, noType);
            Runs.send(producer, badJson);
            Runs.send(producer, valid);

            ConsumerRecord<String, String> first =
                    deadLetters.awaitKey(noTypeKey, r -> !r.isEmpty()).get(0);
            assertThat(reason(first), containsString("missing header ce_type"));
            assertEquals(valid.value(), first.value());
            ConsumerRecord<String, String> second =
                    deadLetters.awaitKey(badJsonKey, r -> !r.isEmpty()).get(0);
            assertThat(reason(second), containsString("is not a valid io.mailshot.run.requested.v1"));

            var events = audienceEvents.awaitKey(
                    runId.toString(), r -> RunResolutionTest.types(r).contains(EventType.AUDIENCE_RESOLVED));
            AudienceResolved resolved = events.stream()
                    .map(codec::decode)
                    .filter(e -> e.type() == EventType.AUDIENCE_RESOLVED)
                    .findFirst()
                    .orElseThrow()
                    .data(AudienceResolved.class);
            assertEquals(1, resolved.matched());
            assertEquals(1, resolved.streamed());
        }
    }

    private static String reason(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON);
        assertNotNull(header, "dead-letter-reason header");
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
