package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.delivery.service.egress.JdkHostResolver;
import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DNS can change between save and delivery: a routing saved while its name resolved to the SFTP server is refused
 * at the delivery attempt once the name resolves to the metadata address: failed at once with the reason, nothing
 * written. Only the answer for the test's own name {@code mail.test} is swapped; every other name is resolved by
 * the JDK, and the server is the real local one.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class EgressAtDeliveryTest {

    private static final String NAME = "mail.test";
    private final AtomicReference<InetAddress> answer = new AtomicReference<>();

    @Inject
    EventCodec codec;

    @BeforeEach
    void dns() {
        // The JDK resolver for every name but the test's own (the bean's client proxy takes its own class).
        JdkHostResolver resolver = new JdkHostResolver() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                return NAME.equals(host) ? List.of(answer.get()) : super.resolve(host);
            }
        };
        QuarkusMock.installMockForType(resolver, JdkHostResolver.class);
    }

    @Test
    void aNameThatNowResolvesToMetadataFailsTheDeliveryWithNothingSent() throws Exception {
        answer.set(InetAddress.getByName(TestSupport.config("mailshot.test.sftp.host")));
        String folder = "egress/run-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "egress-dns-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(Map.of(
                "name",
                name,
                "type",
                "SFTP",
                "status",
                "ACTIVE",
                "baseFolder",
                folder,
                "sftp",
                Map.of(
                        "host",
                        NAME,
                        "port",
                        Integer.parseInt(TestSupport.config("mailshot.test.sftp.port")),
                        "username",
                        TestSupport.config("mailshot.test.sftp.user"),
                        "password",
                        TestSupport.config("mailshot.test.sftp.password"),
                        "hostKeyFingerprint",
                        TestSupport.config("mailshot.test.sftp.fingerprint"))));
        assertTrue(TestSupport.connectionTest(routingId).getBoolean("ok"), "a working destination while saved");
        Path written = Path.of(TestSupport.config("mailshot.test.sftp.root"), folder);
        try (var probe = Files.list(written)) {
            assertFalse(probe.findAny().isPresent(), "the probe was removed");
        }

        answer.set(InetAddress.getByName("169.254.169.254"));
        given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("sftp.host"))
                .body("rule", equalTo("egress"))
                .body("detail", containsString("cloud metadata address"));
        given().contentType(ContentType.JSON)
                .body(Map.of("host", NAME, "port", 22))
                .post("/file-routings/sftp-host-key")
                .then()
                .statusCode(422)
                .body("rule", equalTo("egress"));

        UUID runId = UUID.randomUUID();
        try (S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(20));
            TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        given().get("/deliveries/" + runId)
                .then()
                .body("attempts", equalTo(1))
                .body(
                        "error",
                        containsString("refused by the egress policy: mail.test is refused: it resolves to a"
                                + " cloud metadata address"))
                .body("error", containsString("nothing was sent"))
                .body("files.size()", equalTo(0));
        try (var left = Files.list(written)) {
            assertFalse(left.findAny().isPresent(), "nothing was written, not even a temporary file");
        }
    }
}
