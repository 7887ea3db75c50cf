package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.mailshot.events.EventType;
import io.mailshot.events.FileColumn;
import io.mailshot.events.PressureRule;
import io.mailshot.events.ProfilesStreamed;
import io.mailshot.events.RunRequested;
import io.mailshot.events.RunSpec;
import io.mailshot.events.Topics;
import io.mailshot.kit.messaging.EventCodec;
import io.mailshot.kit.messaging.IncomingEvent;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assertions;

/** Test-side Kafka plumbing: a plain producer, as campaign-service would be, and the service's committed offsets. */
final class Runs {

    private Runs() {}

    static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static RecordMetadata send(KafkaProducer<String, String> producer, ProducerRecord<String, String> record)
            throws Exception {
        return producer.send(record).get();
    }

    /** Waits until the service's consumer group committed past {@code record}: it is done with it. */
    static void awaitConsumed(String bootstrapServers, RecordMetadata record) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(props)) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                                        "audience-service")
                                .partitionsToOffsetAndMetadata()
                                .get();
                        OffsetAndMetadata committed = offsets.get(partition);
                        return committed != null && committed.offset() > record.offset();
                    });
        }
    }

    /**
     * A spec that exports the identity only: what a test of resolution needs, with the holdout, dedup and pressure
     * rules it sets (null for none).
     */
    static RunSpec identitySpec(Integer holdoutPercent, String dedup, List<PressureRule> pressureRules) {
        return new RunSpec(
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
                holdoutPercent,
                dedup,
                null,
                null,
                pressureRules,
                null,
                null);
    }

    /**
     * Requests {@code run} as the campaign-service does and returns its profile stream, decoded, once the stream is
     * complete (read from the beginning of the topic by a reader of the test's own).
     */
    static List<IncomingEvent> resolve(String bootstrapServers, EventCodec codec, RunRequested run) throws Exception {
        String key = run.runId().toString();
        try (KafkaProducer<String, String> producer = producer(bootstrapServers);
                TopicReader profiles = new TopicReader(bootstrapServers, Topics.PROFILES)) {
            send(producer, codec.encode(Topics.RUNS, key, "/mailshot/campaign-service", run));
            return profiles
                    .awaitKey(key, recs -> RunResolutionTest.types(recs).contains(EventType.PROFILE_STREAM_COMPLETED))
                    .stream()
                    .map(codec::decode)
                    .toList();
        }
    }

    /** Creates an audience through the API and returns its id. */
    static UUID audience(String name, List<Map<String, Object>> filter) {
        return UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "filter", filter))
                .when()
                .post("/audiences")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    }

    /** One profile of a {@link ProfilesStreamed} batch, with its own {@code seq}. */
    record Profile(UUID runId, UUID attemptId, long seq, String profileId, List<String> values) {}

    /**
     * The profiles of a stream, one per seq, unpacked from its {@link ProfilesStreamed} batches; markers and other
     * events are skipped. Checks each batch is well formed.
     */
    static List<Profile> profiles(List<IncomingEvent> stream) {
        List<Profile> rows = new ArrayList<>();
        for (IncomingEvent e : stream) {
            if (e.type() == EventType.PROFILES_STREAMED) {
                ProfilesStreamed batch = e.data(ProfilesStreamed.class);
                Assertions.assertEquals(
                        batch.profileIds().size(), batch.values().size());
                for (int i = 0; i < batch.profileIds().size(); i++) {
                    rows.add(new Profile(
                            batch.runId(),
                            batch.attemptId(),
                            batch.firstSeq() + i,
                            batch.profileIds().get(i),
                            batch.values().get(i)));
                }
            }
        }
        return rows;
    }
}
