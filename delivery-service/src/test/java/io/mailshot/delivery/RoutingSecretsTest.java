package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.Topics;
import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A secret stays with its destination: a routing moved to another host or port without its password can no
 * longer log in anywhere, an ACTIVE routing cannot be moved so, and every change of destination or status is
 * published as RoutingChanged, without the secret.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class RoutingSecretsTest {

    private static final List<String> LOGIN_FAILED = List.of(
            "connect:done",
            "key-exchange:done",
            "host-key:done",
            "login:failed",
            "write:not-reached",
            "delete:not-reached");

    private static Map<String, Object> body(String name, String status, int port, String password) {
        Map<String, Object> sftp = new HashMap<>(Map.of(
                "host",
                TestSupport.config("mailshot.test.sftp.host"),
                "port",
                port,
                "username",
                TestSupport.config("mailshot.test.sftp.user"),
                "hostKeyFingerprint",
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        if (password != null) {
            sftp.put("password", password);
        }
        Map<String, Object> body =
                new HashMap<>(Map.of("name", name, "type", "SFTP", "baseFolder", "inbox/secrets", "sftp", sftp));
        if (status != null) {
            body.put("status", status);
        }
        return body;
    }

    private static KafkaConsumer<String, String> routingChanges() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestSupport.config("kafka.bootstrap.servers"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "routing-changes-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.ROUTING_CHANGES));
        return consumer;
    }

    @Test
    void aMovedRoutingLosesItsPasswordAndTheChangesArePublished() throws Exception {
        String password = TestSupport.config("mailshot.test.sftp.password");
        int port = Integer.parseInt(TestSupport.config("mailshot.test.sftp.port"));
        String name = "secrets-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = TestSupport.createRouting(body(name, "DRAFT", port, password));
        assertTrue(TestSupport.connectionTest(id).getBoolean("ok"));

        // Another port that reaches the same server: the kept password would log in there; it must not be kept.
        try (RecordingTcpProxy other = new RecordingTcpProxy(port)) {
            given().contentType(ContentType.JSON)
                    .body(body(name, null, other.port(), null))
                    .put("/file-routings/" + id)
                    .then()
                    .statusCode(200)
                    .body("sftp.port", equalTo(other.port()))
                    .body("sftp.passwordSet", equalTo(false))
                    .body("sftp.privateKeySet", equalTo(false))
                    .body("status", equalTo("DRAFT"));
            JsonPath moved = TestSupport.connectionTest(id);
            assertFalse(moved.getBoolean("ok"));
            assertEquals(LOGIN_FAILED, TestSupport.statuses(moved), moved.prettify());
            assertTrue(
                    moved.getString("steps[3].message")
                            .startsWith("no sftp.password or sftp.privateKey is stored"
                                    + " for this routing: it was dropped when the destination changed"),
                    moved.getString("steps[3].message"));
            given().post("/file-routings/" + id + "/activate")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("rule", equalTo("secret-required"));
            given().contentType(ContentType.JSON)
                    .body(body(name, "ACTIVE", other.port(), null))
                    .put("/file-routings/" + id)
                    .then()
                    .statusCode(422)
                    .body("field", equalTo("sftp.password"))
                    .body("rule", equalTo("required"));

            // The same request with the password: it logs in again, through the new port.
            given().contentType(ContentType.JSON)
                    .body(body(name, null, other.port(), password))
                    .put("/file-routings/" + id)
                    .then()
                    .statusCode(200)
                    .body("sftp.passwordSet", equalTo(true));
            JsonPath back = TestSupport.connectionTest(id);
            assertTrue(back.getBoolean("ok"), back.prettify());
            assertTrue(other.sent().contains("SSH-2.0"), "the test went through the new port");

            given().post("/file-routings/" + id + "/activate")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("ACTIVE"));
            // An ACTIVE routing is not moved without its secret: refused, nothing changed.
            given().contentType(ContentType.JSON)
                    .body(body(name, null, port, null))
                    .put("/file-routings/" + id)
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("sftp.password"))
                    .body("rule", equalTo("required"));
            given().get("/file-routings/" + id)
                    .then()
                    .body("sftp.port", equalTo(other.port()))
                    .body("sftp.passwordSet", equalTo(true));
            // A change that keeps the destination keeps the secret.
            given().contentType(ContentType.JSON)
                    .body(body(name, null, other.port(), null))
                    .put("/file-routings/" + id)
                    .then()
                    .statusCode(200)
                    .body("sftp.passwordSet", equalTo(true));
            given().delete("/file-routings/" + id).then().statusCode(204);
        }

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = routingChanges()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (TestSupport.Event e : TestSupport.poll(consumer)) {
                    if (id.toString().equals(e.key())) {
                        assertEquals("io.mailshot.routing.changed.v1", e.type());
                        assertFalse(e.data().contains(password), "no secret in the event");
                        events.add(json.readTree(e.data()));
                    }
                }
                return events.size() >= 3;
            });
            TestSupport.poll(consumer).forEach(e -> assertFalse(id.toString().equals(e.key()), "one event too many"));
        }
        List<String> seen = events.stream()
                .map(e -> e.get("changed").toString() + " " + e.get("status").asText())
                .toList();
        // The password sent again (destination unchanged) and the refused PUT published nothing.
        assertEquals(List.of("[\"sftp.port\"] DRAFT", "[\"status\"] ACTIVE", "[\"status\"] ARCHIVED"), seen);
        events.forEach(e -> assertEquals(id.toString(), e.get("routingId").asText()));
        events.forEach(e -> assertTrue(e.hasNonNull("occurredAt")));

        // The routing's audit trail tells the same story with who did it (the test signs in as admin), never a secret.
        String trail = given().get("/audit?entity=routing&id=" + id + "&size=100")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(trail.contains(password), "no secret in the audit trail");
        JsonPath audit = JsonPath.from(trail);
        List<String> actions = audit.getList("items.action");
        assertEquals(
                List.of(
                        "routing.create",
                        "routing.test",
                        "routing.update",
                        "routing.test",
                        "routing.activate",
                        "routing.update",
                        "routing.update",
                        "routing.test",
                        "routing.activate",
                        "routing.update",
                        "routing.update",
                        "routing.archive"),
                actions,
                trail);
        List<String> outcomes = audit.getList("items.outcome");
        // The move that dropped the password, the failed log-in after it, the refused activation and PUTs.
        assertEquals("DONE", outcomes.get(2));
        assertEquals(true, audit.getBoolean("items[2].details.secretDropped"));
        assertEquals(List.of("sftp.port"), audit.getList("items[2].details.changed"));
        assertEquals("FAILED", outcomes.get(3));
        assertEquals("REFUSED", outcomes.get(4));
        assertEquals("REFUSED", outcomes.get(5));
        assertEquals(true, audit.getBoolean("items[6].details.secretResent"));
        assertEquals("REFUSED", outcomes.get(9));
        audit.getList("items.actor.name").forEach(n -> assertEquals("Alex Admin", n));
    }
}
