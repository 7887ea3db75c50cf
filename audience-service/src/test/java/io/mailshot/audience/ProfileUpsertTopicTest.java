package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
            Runs.send(producer, event(key + "-bad-type", "io.mailshot.something.else.v1", null, profile(id, "X", null)));
            Runs.send(producer, event(key + "-bad-profile", TYPE, null, "{\"identity\":{\"namespace\":\"crmId\"}}"));
            Runs.send(producer, event(key + "-not-json", TYPE, null, "{not json"));
            // A sentinel after everything on the same partition.
            Runs.send(producer, event(key, TYPE, null, profile("S-" + tag, "Sentinel", null)));

            await().atMost(Duration.ofSeconds(60)).until(() -> given().when().get("/profiles/crmId/S-" + tag)
                    .statusCode() == 200);
            given().when().get("/profiles/crmId/" + id).then().statusCode(200)
                    .body("homeAddress.city", org.hamcrest.Matchers.equalTo("Newer"));

            // A newer write wins.
            Runs.send(producer, event(key, TYPE, null, profile(id, "Newest", "2026-11-29T10:00:00Z")));
            await().atMost(Duration.ofSeconds(60)).until(() -> "Newest".equals(given().when()
                    .get("/profiles/crmId/" + id).then().extract().path("homeAddress.city")));

            assertThat(reason(deadLetters.awaitKey(key + "-bad-type", r -> !r.isEmpty()).get(0)),
                    containsString("ce_type must be " + TYPE));
            assertThat(reason(deadLetters.awaitKey(key + "-bad-profile", r -> !r.isEmpty()).get(0)),
                    containsString("is not a valid profile: identity.id is required"));
            ConsumerRecord<String, String> notJson = deadLetters.awaitKey(key + "-not-json", r -> !r.isEmpty()).get(0);
            assertThat(reason(notJson), containsString("line is not valid JSON"));
            assertEquals("{not json", notJson.value());
        }
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON).value(),
                StandardCharsets.UTF_8);
    }
}
