package io.mailshot.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailshot.events.StagedFile;
import io.mailshot.infra.InfraTestResource;
import io.mailshot.kit.messaging.EventCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.Test;

/** Delivery to the real local MINA SFTP server, read back with an independent SFTP session. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "delivery"))
class SftpDeliveryTest extends StagingAndEvents {

    @Inject
    EventCodec codec;

    private static String fingerprint() {
        return TestSupport.config("mailshot.test.sftp.fingerprint");
    }

    @Test
    void deliversAtomicallyAndIgnoresARedelivery() throws Exception {
        String folder = "inbox/run-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-ok-" + UUID.randomUUID(),
                folder,
                TestSupport.config("mailshot.test.sftp.password"),
                fingerprint()));
        UUID runId = UUID.randomUUID();
        byte[] content = TestSupport.csv(50_000);
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", content);
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED")));
        JsonPath delivery = given().get("/deliveries/" + runId).then().extract().jsonPath();
        String user = TestSupport.config("mailshot.test.sftp.user");
        String hostPort =
                TestSupport.config("mailshot.test.sftp.host") + ":" + TestSupport.config("mailshot.test.sftp.port");
        assertEquals("sftp://" + user + "@" + hostPort + "/" + folder, delivery.getString("destination"));
        assertEquals(
                "sftp://" + user + "@" + hostPort + "/" + folder + "/audience.csv",
                delivery.getString("files[0].location"));
        assertEquals(1, delivery.getInt("attempts"));

        try (Sftp sftp = Sftp.open()) {
            assertArrayEquals(content, sftp.read(folder + "/audience.csv"));
            assertEquals(List.of("audience.csv"), sftp.list(folder), "no temporary .part file remains");
        }

        String again = TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.processed(again));
        given().get("/deliveries/" + runId)
                .then()
                .body("status", equalTo("SUCCEEDED"))
                .body("attempts", equalTo(1));
    }

    @Test
    void hostKeyMismatchFailsAndWritesNothing() throws Exception {
        String wrong = "SHA256:" + "A".repeat(43);
        String folder = "inbox/mismatch-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-mismatch-" + UUID.randomUUID(),
                folder,
                TestSupport.config("mailshot.test.sftp.password"),
                wrong));
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(10));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        given().get("/deliveries/" + runId)
                .then()
                .body("error", equalTo("host key mismatch: expected " + wrong + ", got " + fingerprint()))
                .body("attempts", equalTo(1));
        try (Sftp sftp = Sftp.open()) {
            assertFalse(sftp.exists(folder), "nothing may be written to an unverified host");
        }
    }

    @Test
    void wrongPasswordFailsAsAuthenticationRefused() throws Exception {
        String folder = "inbox/denied-" + UUID.randomUUID().toString().substring(0, 8);
        UUID routingId = TestSupport.createRouting(TestSupport.sftpRouting(
                "sftp-denied-" + UUID.randomUUID(), folder, TestSupport.WRONG_SFTP_PASSWORD, fingerprint()));
        UUID runId = UUID.randomUUID();
        StagedFile staged = TestSupport.stage(s3, runId, "audience.csv", TestSupport.csv(10));
        TestSupport.publishCompleted(producer, codec, runId, routingId, List.of(staged));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/deliveries/" + runId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        String body = given().get("/deliveries/" + runId)
                .then()
                .body("error", containsString("authentication refused"))
                .body("attempts", equalTo(1))
                .extract()
                .asString();
        assertFalse(body.contains(TestSupport.WRONG_SFTP_PASSWORD));
        try (Sftp sftp = Sftp.open()) {
            assertFalse(sftp.exists(folder));
        }
    }

    /** An SFTP session of the test's own, pinned to the server's fingerprint like the service is. */
    static final class Sftp implements AutoCloseable {
        private final SshClient client;
        private final ClientSession session;
        private final SftpClient sftp;

        private Sftp(SshClient client, ClientSession session, SftpClient sftp) {
            this.client = client;
            this.session = session;
            this.sftp = sftp;
        }

        static Sftp open() throws Exception {
            String pinned = TestSupport.config("mailshot.test.sftp.fingerprint");
            SshClient client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier((s, a, key) -> pinned.equals(KeyUtils.getFingerPrint(key)));
            client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.start();
            ClientSession session = client.connect(
                            TestSupport.config("mailshot.test.sftp.user"),
                            TestSupport.config("mailshot.test.sftp.host"),
                            Integer.parseInt(TestSupport.config("mailshot.test.sftp.port")))
                    .verify(Duration.ofSeconds(30))
                    .getSession();
            session.addPasswordIdentity(TestSupport.config("mailshot.test.sftp.password"));
            session.auth().verify(Duration.ofSeconds(30));
            return new Sftp(client, session, SftpClientFactory.instance().createSftpClient(session));
        }

        byte[] read(String path) throws Exception {
            try (InputStream in = sftp.read(path)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }

        List<String> list(String folder) throws Exception {
            List<String> names = new ArrayList<>();
            for (SftpClient.DirEntry entry : sftp.readDir(folder)) {
                if (!entry.getFilename().equals(".") && !entry.getFilename().equals("..")) {
                    names.add(entry.getFilename());
                }
            }
            return names;
        }

        boolean exists(String path) throws Exception {
            try {
                sftp.stat(path);
                return true;
            } catch (SftpException e) {
                assertThrows(SftpException.class, () -> sftp.stat(path));
                return false;
            }
        }

        @Override
        public void close() throws Exception {
            sftp.close();
            session.close();
            client.stop();
        }
    }
}
