package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.events.StagedFile;
import io.mailshot.infra.AzuriteServer;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs last (surefire sets the secondary class orderer to @Order): the log written by every test of the run,
 * plus a failing delivery of its own, must not contain a single secret.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
@Order(Integer.MAX_VALUE)
class NoSecretsInLogTest {

    @Inject
    EventCodec codec;

    @Test
    void logContainsNoSecret() throws Exception {
        // Make sure the log holds at least one refused delivery with a secret in play, whatever ran before.
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "log-check-" + UUID.randomUUID(),
                "inbox/log-check",
                TestSupport.WRONG_SFTP_PASSWORD,
                TestSupport.config("mailshot.test.sftp.fingerprint")));
        UUID runId = UUID.randomUUID();
        try (S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(5));
            TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        // And an Azure routing whose connection string (with its account key) is in play for a failing delivery.
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                + AzureBlobDeliveryTest.WRONG_ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:" + closedPort
                + "/devstoreaccount1;";
        UUID azureRouting = TestSupport.createRouting(AzureBlobDeliveryTest.azureRouting(
                "log-check-azure-" + UUID.randomUUID(), "log-check", null, connection));
        given().post("/file-routings/" + azureRouting + "/test").then().statusCode(200);
        UUID azureRun = UUID.randomUUID();
        try (S3Client s3 = TestSupport.s3();
                KafkaProducer<String, String> producer = TestSupport.producer()) {
            StagedFile staged = TestSupport.stage(s3, azureRun, "audience.csv", TestSupport.csv(5));
            TestSupport.publishCompleted(producer, codec, azureRun, azureRouting, List.of(staged));
        }
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> given().get("/deliveries/" + azureRun)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));

        Path log = Path.of("target/delivery-test.log");
        assertTrue(Files.exists(log), "the %test profile writes the log to " + log.toAbsolutePath());
        String text = Files.readString(log);
        assertTrue(text.contains("delivering run " + runId), "the log really has the deliveries in it");
        assertTrue(text.contains("delivering run " + azureRun), "and the Azure one");
        for (String secret : List.of(
                TestSupport.API_S3_SECRET,
                TestSupport.API_SFTP_PASSWORD,
                TestSupport.WRONG_SFTP_PASSWORD,
                TestSupport.WRONG_S3_SECRET,
                TestSupport.config("mailshot.test.sftp.password"),
                TestSupport.config("mailshot.staging.secret-access-key"),
                TestSupport.config("mailshot.secrets.key"),
                AzureBlobDeliveryTest.WRONG_ACCOUNT_KEY,
                AzuriteServer.ACCOUNT_KEY)) {
            assertFalse(text.contains(secret), "a secret appears in " + log);
        }
    }
}
