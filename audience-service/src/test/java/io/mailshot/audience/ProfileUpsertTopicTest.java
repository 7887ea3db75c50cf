package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class ProfileUpsertTopicTest {

    private static final String TOPIC = "mailshot.profile-upserts";
    private static final String TYPE = "io.mailshot.profile.upserted.v1";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static ProducerRecord<String, String> event(String key, String type, String time, String data) {
        ProducerRecord<String, String> r = new ProducerRecord<>(TOPIC, key, data);
        r.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        r.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add(CloudEventHeaders.SOURCE, "/crm".getBytes(StandardCharsets.UTF_8));
        if (type != null) {
            r.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        }
        if (time != null) {
            r.headers().add(CloudEventHeaders.TIME, time.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    private static String profile(String id, String city, String eventTime) {
        return "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"" + id + "\"},\"homeAddress\":{\"city\":\"" + city
                + "\"}" + (eventTime == null ? "" : ",\"eventTime\":\"" + eventTime + "\"") + "}";
    }

    @Test
    void upsertsLastWriteWinsByEventTimeAndMalformedRecordsAreDeadLettered() throws Exception {
        String tag = UUID.randomUUID().toString();
        String id = "T-" + tag;
        String key = "crmId:" + id; // one key, one partition: records are handled in order
        try (KafkaProducer<String, String> producer = Runs.producer(bootstrap);
                TopicReader deadLetters = new TopicReader(bootstrap, Topics.DEAD_LETTER_PREFIX + "audience")) {
            Runs.send(producer, event(key, TYPE, null, profile(id, "Newer", "2026-11-28T10:00:00Z")));
            // Older by its eventTime: must not overwrite.
            Runs.send(producer, event(key, TYPE, null, profile(id, "Older", "2026-11-27T10:00:00Z")));
            // No eventTime: ce_time decides, and it is older still.
            Runs.send(producer, event(key, TYPE, "2026-01-01T00:00:00Z", profile(id, "OlderByCeTime", null)));
            Runs.send(
                    producer, event(key + "-bad-type", "io.mailshot.something.else.v1", null, profile(id, "X", null)));
            Runs.send(producer, event(key + "-bad-profile", TYPE, null, "{\"identity\":{\"namespace\":\"crmId\"}}"));
            Runs.send(producer, event(key + "-not-json", TYPE, null, "{not json"));
            // A sentinel after everything on the same partition.
            Runs.send(producer, event(key, TYPE, null, profile("S-" + tag, "Sentinel", null)));

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> given().when().get("/profiles/crmId/S-" + tag).statusCode() == 200);
            given().when()
                    .get("/profiles/crmId/" + id)
                    .then()
                    .statusCode(200)
                    .body("homeAddress.city", Matchers.equalTo("Newer"));

            // A newer write wins.
            Runs.send(producer, event(key, TYPE, null, profile(id, "Newest", "2026-11-29T10:00:00Z")));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "Newest"
                            .equals(given().when()
                                    .get("/profiles/crmId/" + id)
                                    .then()
                                    .extract()
                                    .path("homeAddress.city")));

            assertThat(
                    reason(deadLetters
                            .awaitKey(key + "-bad-type", r -> !r.isEmpty())
                            .get(0)),
                    containsString("ce_type must be " + TYPE));
            assertThat(
                    reason(deadLetters
                            .awaitKey(key + "-bad-profile", r -> !r.isEmpty())
                            .get(0)),
                    containsString("is not a valid profile: identity.id is required"));
            ConsumerRecord<String, String> notJson =
                    deadLetters.awaitKey(key + "-not-json", r -> !r.isEmpty()).get(0);
            assertThat(reason(notJson), containsString("line is not valid JSON"));
            assertEquals("{not json", notJson.value());
        }
    }

    @Test
    void aValueThatIsNotUtf8IsDeadLetteredAsReceivedNeverStoredAltered() throws Exception {
        String tag = UUID.randomUUID().toString();
        String id = "U-" + tag;
        String key = "crmId:" + id;
        // "Müller" with a Latin-1 ü: a String deserializer would have stored "M\uFFFDller".
        byte[] latin1 = profile(id, "Müller", null).getBytes(StandardCharsets.ISO_8859_1);
        byte[] bom = ("\uFEFF" + profile("V-" + tag, "Lyon", null)).getBytes(StandardCharsets.UTF_8);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps);
                KafkaConsumer<String, byte[]> deadLetters = new KafkaConsumer<>(consumerProps)) {
            deadLetters.subscribe(List.of(Topics.DEAD_LETTER_PREFIX + "audience"));
            for (var record : List.of(
                    bytesEvent(key, latin1),
                    bytesEvent(key + "-bom", bom),
                    bytesEvent(key, profile("S-" + tag, "Sentinel", null).getBytes(StandardCharsets.UTF_8)))) {
                producer.send(record).get();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> given().when().get("/profiles/crmId/S-" + tag).statusCode() == 200);
            given().when().get("/profiles/crmId/" + id).then().statusCode(404);
            given().when().get("/profiles/crmId/V-" + tag).then().statusCode(404);

            Map<String, ConsumerRecord<String, byte[]>> found = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && r.key().startsWith(key)) {
                        found.put(r.key(), r);
                    }
                });
                return found.size() == 2;
            });
            ConsumerRecord<String, byte[]> notUtf8 = found.get(key);
            assertArrayEquals(latin1, notUtf8.value()); // the value exactly as received
            int at = profile(id, "M", null).indexOf("M\"") + 2; // the ü, 1-based
            assertThat(
                    bytesReason(notUtf8),
                    containsString("is not a valid profile: the data is not valid UTF-8" + " (at byte " + at
                            + ", column " + at + ")"));
            assertThat(bytesReason(found.get(key + "-bom")), containsString("starts with a byte-order mark"));
        }
    }

    private static ProducerRecord<String, byte[]> bytesEvent(String key, byte[] data) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(TOPIC, key, data);
        r.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        r.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add(CloudEventHeaders.SOURCE, "/crm".getBytes(StandardCharsets.UTF_8));
        r.headers().add(CloudEventHeaders.TYPE, TYPE.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static String bytesReason(ConsumerRecord<String, byte[]> record) {
        return new String(
                record.headers()
                        .lastHeader(CloudEventHeaders.DEAD_LETTER_REASON)
                        .value(),
                StandardCharsets.UTF_8);
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return new String(
                record.headers()
                        .lastHeader(CloudEventHeaders.DEAD_LETTER_REASON)
                        .value(),
                StandardCharsets.UTF_8);
    }
}
