package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One run's delivery to a destination that hangs holds one worker, never the queue: another run's delivery goes
 * through meanwhile, readiness names the stuck delivery while it hangs, and the hanging one ends FAILED with its
 * reason once its attempts are spent.
 */
@QuarkusTest
@TestProfile(DeliveryIsolationTest.StuckQuickly.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class DeliveryIsolationTest {

    /** A worker counts as stuck after two seconds; an SFTP step may hang far longer, until the test ends it. */
    public static class StuckQuickly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mailshot.health.stall-after",
                    "2s",
                    "mailshot.delivery.sftp-timeout",
                    "5m",
                    "mailshot.retry.max-tries",
                    "2");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    EventCodec codec;

    @Test
    void aHangingDestinationHoldsOneWorkerWhileAnotherRunIsDelivered() throws Exception {
        try (SilentTcpServer hanging = new SilentTcpServer();
                S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            UUID stuckRouting = TestSupport.createRouting(Map.of(
                    "name",
                    "hanging-" + UUID.randomUUID(),
                    "type",
                    "SFTP",
                    "status",
                    "ACTIVE",
                    "baseFolder",
                    "in",
                    "sftp",
                    Map.of(
                            "host",
                            "127.0.0.1",
                            "port",
                            hanging.port(),
                            "username",
                            "mailshot",
                            "password",
                            "irrelevant-password",
                            "hostKeyFingerprint",
                            TestSupport.config("mailshot.test.sftp.fingerprint"))));
            UUID stuck = UUID.randomUUID();
            StagedFile stuckFile = TestSupport.stage(s3, stuck, "stuck.csv", TestSupport.csv(10));
            TestSupport.publishCompleted(producer, codec, stuck, stuckRouting, List.of(stuckFile));
            await().atMost(WAIT).until(() -> hanging.accepted() > 0);

            String bucket = "isolation-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            UUID routing = TestSupport.createRouting(TestSupport.s3Routing(
                    "isolation-" + bucket, bucket, "out", TestSupport.config("mailshot.staging.secret-access-key")));
            UUID next = UUID.randomUUID();
            byte[] content = TestSupport.csv(25);
            StagedFile file = TestSupport.stage(s3, next, "next.csv", content);
            TestSupport.publishCompleted(producer, codec, next, routing, List.of(file));

            // Delivered while the other delivery still hangs on its first attempt (it hangs until the test ends it).
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/deliveries/" + next)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("SUCCEEDED")));
            assertArrayEquals(
                    content,
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/next.csv"))
                            .asByteArray());
            given().get("/deliveries/" + stuck)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("IN_PROGRESS"))
                    .body("attempts", equalTo(0));

            // Readiness tells the truth: not ready, naming what the worker is stuck on.
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/q/health/ready")
                            .then()
                            .statusCode(503)
                            .body("checks.find { it.name == 'workers' }.status", equalTo("DOWN"))
                            .body(
                                    "checks.find { it.name == 'workers' }.data.'stalled.0'",
                                    containsString("no progress on delivery.attempt of run " + stuck)));

            hanging.close();
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/deliveries/" + stuck)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("FAILED"))
                            .body("attempts", equalTo(2))
                            .body("error", not(equalTo(null))));
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/q/health/ready")
                            .then()
                            .statusCode(200)
                            .body("checks.name", hasItem("workers")));
        }
    }
}
