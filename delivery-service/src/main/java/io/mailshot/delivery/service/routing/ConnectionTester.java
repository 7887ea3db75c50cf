package io.mailshot.delivery.service.routing;

import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.delivery.service.delivery.DeliveryService;
import io.mailshot.delivery.service.egress.EgressGuard;
import io.mailshot.delivery.service.egress.EgressRefusedException;
import io.mailshot.delivery.service.transport.AzureBlobTransport;
import io.mailshot.delivery.service.transport.S3Transport;
import io.mailshot.delivery.service.transport.SftpTransport;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import io.mailshot.delivery.rest.ConnectionTestResult.Step;
import io.mailshot.delivery.rest.ConnectionTestResult;
import io.mailshot.events.files.PathRules;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tries a routing's destination the way a delivery would and reports each step only as what happened: SFTP goes
 * through connect, key exchange, host key, login, write and delete; S3 and Azure Blob through connect, login,
 * write and delete. A step is {@code done} only when it really happened and worked (a TCP connection alone is no
 * key exchange; a write is done once the probe reads back identical), {@code failed} when it was tried, and
 * {@code not-reached} after a failure. Nothing here answers 5xx: whatever a step throws is that step's failure.
 */
@ApplicationScoped
public class ConnectionTester {

    private static final Logger LOG = Logger.getLogger(ConnectionTester.class);
    static final String PROBE_PREFIX = ".mailshot-connection-test-";
    private static final byte[] PROBE = "Mailshot connection test; safe to delete.\n".getBytes(StandardCharsets.UTF_8);

    static final String CONNECT = "connect";
    static final String KEY_EXCHANGE = "key-exchange";
    static final String HOST_KEY = "host-key";
    static final String LOGIN = "login";
    static final String WRITE = "write";
    static final String DELETE = "delete";

    private final RoutingService routings;
    private final S3Transport s3;
    private final SftpTransport sftp;
    private final AzureBlobTransport azure;
    private final EgressGuard egress;

    public ConnectionTester(RoutingService routings, S3Transport s3, SftpTransport sftp, AzureBlobTransport azure,
            EgressGuard egress) {
        this.egress = egress;
        this.azure = azure;
        this.routings = routings;
        this.s3 = s3;
        this.sftp = sftp;
    }

    public ConnectionTestResult test(UUID id) {
        Routing routing = routings.resolve(id).orElseThrow(() -> DomainException.notFound("file routing", id));
        Steps steps = switch (routing.type()) {
            case S3 -> new Steps(CONNECT, LOGIN, WRITE, DELETE);
            case SFTP -> new Steps(CONNECT, KEY_EXCHANGE, HOST_KEY, LOGIN, WRITE, DELETE);
            case AZURE_BLOB -> new Steps(CONNECT, LOGIN, WRITE, DELETE);
        };
        // A destination the egress policy refuses is refused like a bad value (422), before anything is sent; one
        // that does not resolve now is the connect step's failure, as any unreachable server.
        String host = Destinations.host(routing);
        String unresolved = null;
        if (host != null) {
            try {
                egress.check(host);
            } catch (EgressRefusedException e) {
                if (!e.unresolvable()) {
                    String field = Destinations.field(routing.type());
                    throw DomainException.invalid(field, "egress", field + ": " + e.getMessage()
                            + "; nothing was sent to it");
                }
                unresolved = "cannot reach " + host + ": " + e.getMessage();
            }
        }
        if (unresolved != null) {
            steps.start(CONNECT);
            steps.fail(unresolved);
            return log(id, steps.result(routing));
        }
        try {
            switch (routing.type()) {
                case S3 -> testS3(routing, steps);
                case SFTP -> testSftp(routing, steps);
                case AZURE_BLOB -> testAzure(routing, steps);
            }
        } catch (RuntimeException e) {
            // Whatever a client library throws is the failure of the step under way, never a 500.
            steps.fail("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return log(id, steps.result(routing));
    }

    private static ConnectionTestResult log(UUID id, ConnectionTestResult result) {
        LOG.infof("connection test of routing %s: %s", id, result.ok() ? "ok" : "failed at "
                + result.steps().stream().filter(s -> ConnectionTestResult.FAILED.equals(s.status())).findFirst()
                        .map(Step::step).orElse("?"));
        return result;
    }

    private void testSftp(Routing routing, Steps steps) {
        Routing.SftpTarget target = routing.sftp();
        String where = HostNames.withPort(target.host(), target.port());
        steps.start(CONNECT);
        SftpTransport.Session session;
        try {
            session = sftp.connect(target);
        } catch (DeliveryException e) {
            steps.fail(e.getMessage());
            return;
        }
        try (session) {
            steps.done("opened a TCP connection to " + where);

            steps.start(KEY_EXCHANGE);
            SftpTransport.KeyExchange kex = session.keyExchange();
            if (kex.serverVersion() == null) {
                steps.fail("no SSH server answered at " + where + ": " + (kex.timedOut()
                        ? "it sent nothing within the time-out" : "the connection closed without an SSH identification")
                        + " (is this the server's SSH port?)");
                return;
            }
            if (kex.hostKey() == null) {
                steps.fail(printable(kex.serverVersion()) + " answered, but the key exchange did not get as far as its"
                        + " host key (" + (kex.timedOut() ? "time-out" : "the connection closed")
                        + "; no algorithms in common?)");
                return;
            }
            String offered = SftpTransport.fingerprint(kex.hostKey());
            steps.done("key exchange with " + printable(kex.serverVersion()) + ": it presented a "
                    + KeyUtils.getKeyType(kex.hostKey()) + " host key, " + offered);

            steps.start(HOST_KEY);
            if (!SftpTransport.sameFingerprint(target.hostKeyFingerprint(), offered)) {
                steps.fail("host key mismatch: expected " + target.hostKeyFingerprint() + ", got " + offered
                        + " (refused: nothing was sent to this server)");
                return;
            }
            if (!kex.completed()) {
                steps.fail("the host key matches the pinned fingerprint, but the key exchange did not complete ("
                        + (kex.timedOut() ? "time-out" : "the connection closed") + ")");
                return;
            }
            steps.done("the host key matches the pinned fingerprint " + target.hostKeyFingerprint());

            steps.start(LOGIN);
            if (routing.missingSecret() != null) {
                steps.fail(missingSecret(routing));
                return;
            }
            try {
                session.authenticate();
            } catch (DeliveryException e) {
                steps.fail(e.getMessage());
                return;
            }
            steps.done("logged in as " + target.username());

            steps.start(WRITE);
            String path = PathRules.join(routing.baseFolder(), PROBE_PREFIX + UUID.randomUUID());
            SftpClient client;
            boolean created = false;
            try {
                client = session.sftp();
                SftpTransport.ensureFolders(client, routing.baseFolder());
                try (OutputStream out = client.write(path, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate)) {
                    created = true;
                    out.write(PROBE);
                }
                byte[] back;
                try (InputStream in = client.read(path)) {
                    back = in.readNBytes(PROBE.length + 1);
                }
                if (!Arrays.equals(PROBE, back)) {
                    steps.fail("wrote " + path + ", but it reads back " + back.length + " bytes that differ from the "
                            + PROBE.length + " written");
                } else {
                    steps.done("wrote " + path + " (" + PROBE.length + " bytes, read back identical)");
                }
            } catch (SftpException e) {
                steps.fail(SftpTransport.classify(e, routing.destination()).getMessage());
                if (!created) {
                    return;
                }
                client = null;
            } catch (IOException e) {
                steps.fail("writing " + path + " failed: " + SftpTransport.timeoutWords(e));
                if (!created) {
                    return;
                }
                client = null;
            }
            // A probe that was created is removed, and that is reported, even when the write step failed.
            steps.start(DELETE);
            try {
                (client == null ? session.sftp() : client).remove(path);
                steps.done("removed " + path);
            } catch (IOException e) {
                steps.fail("could not remove " + path + ": " + e.getMessage());
            }
        }
    }

    private void testS3(Routing routing, Steps steps) {
        Routing.S3Target target = routing.s3();
        String bucket = target.bucket();
        String where = target.endpoint() == null ? "S3" : target.endpoint();
        steps.start(CONNECT);
        S3Transport.Answers answers = new S3Transport.Answers();
        S3Client client;
        try {
            client = s3.open(target, answers);
        } catch (RuntimeException e) {
            steps.fail("the endpoint " + where + " cannot be used: " + e.getMessage());
            return;
        }
        try (client) {
            if (routing.missingSecret() != null) {
                // Asked anonymously (the client has no secret to sign with): only to say whether a server answers.
                try {
                    client.headBucket(b -> b.bucket(bucket));
                } catch (RuntimeException e) {
                    if (answers.status() < 0) {
                        steps.fail("cannot reach " + where + ": " + (e instanceof SdkClientException c ? words(c)
                                : e.getClass().getSimpleName()));
                        return;
                    }
                }
                steps.done("reached " + where);
                steps.start(LOGIN);
                steps.fail(missingSecret(routing));
                return;
            }
            try {
                client.headBucket(b -> b.bucket(bucket));
                steps.done("reached " + where);
                steps.start(LOGIN);
                steps.done("bucket " + bucket + " accepted these credentials");
            } catch (RuntimeException e) {
                // "Reached" only on evidence that a server answered: the client's exception types do not say.
                if (answers.status() < 0) {
                    steps.fail("cannot reach " + where + ": " + (e instanceof SdkClientException c ? words(c)
                            : e.getClass().getSimpleName() + ": " + e.getMessage()));
                    return;
                }
                steps.done("reached " + where + " (it answered HTTP " + answers.status() + ")");
                steps.start(LOGIN);
                String reason = !(e instanceof S3Exception s3e) ? "the server at " + where + " answered HTTP "
                        + answers.status() + ", which the S3 client could not read"
                        : s3e.statusCode() == 404 ? "bucket " + bucket + " does not exist"
                        : s3e.statusCode() == 403 ? "access to bucket " + bucket
                                + " refused: check the access key, the secret and the key's permissions"
                        : S3Transport.classify(s3e, bucket).getMessage();
                steps.fail(answers.s3Like() ? reason : reason + " (but the server did not answer like an S3 server:"
                        + " no x-amz-request-id; check s3.endpoint)");
                return;
            }

            steps.start(WRITE);
            String key = PathRules.join(routing.baseFolder(), PROBE_PREFIX + UUID.randomUUID());
            boolean created = false;
            try {
                // With the routing's server-side encryption, so a bucket policy that demands it is tested too.
                client.putObject(b -> S3Transport.encryption(b.bucket(bucket).key(key), target),
                        RequestBody.fromBytes(PROBE));
                created = true;
                byte[] back = client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                if (!Arrays.equals(PROBE, back)) {
                    steps.fail("wrote s3://" + bucket + "/" + key + ", but it reads back " + back.length
                            + " bytes that differ from the " + PROBE.length + " written: the endpoint does not behave"
                            + " like S3");
                } else {
                    steps.done("wrote s3://" + bucket + "/" + key + " (" + PROBE.length
                            + " bytes, read back identical)");
                }
            } catch (S3Exception e) {
                steps.fail(created ? "wrote s3://" + bucket + "/" + key + ", but reading it back was refused (HTTP "
                        + e.statusCode() + "): a delivery checks every file it writes"
                        : e.statusCode() == 403 ? "permission denied writing s3://" + bucket + "/" + key
                                : S3Transport.classify(e, target).getMessage());
                if (!created) {
                    return;
                }
            } catch (SdkClientException e) {
                steps.fail("writing the probe file failed: " + words(e));
                if (!created) {
                    return;
                }
            }
            steps.start(DELETE);
            try {
                client.deleteObject(b -> b.bucket(bucket).key(key));
                steps.done("removed s3://" + bucket + "/" + key);
            } catch (S3Exception | SdkClientException e) {
                steps.fail("could not remove s3://" + bucket + "/" + key + ": "
                        + (e instanceof S3Exception s ? "HTTP " + s.statusCode() : words((SdkClientException) e)));
            }
        }
    }

    private void testAzure(Routing routing, Steps steps) {
        Routing.AzureTarget target = routing.azure();
        String endpoint = target.parsed().blobEndpoint();
        String account = target.parsed().accountName();
        steps.start(CONNECT);
        AzureBlobTransport.Answers answers = new AzureBlobTransport.Answers();
        // One try per request: the test reports what happens, it does not wait for retries.
        BlobContainerClient container;
        if (routing.missingSecret() != null) {
            try {
                azure.container(target, 1, answers).getProperties();
            } catch (RuntimeException e) {
                if (answers.status() < 0) {
                    steps.fail("cannot reach " + endpoint + ": " + AzureBlobTransport.words(e));
                    return;
                }
            }
            steps.done("reached " + endpoint);
            steps.start(LOGIN);
            steps.fail(missingSecret(routing));
            return;
        }
        try {
            container = azure.container(target, 1, answers);
            container.getProperties();
            steps.done("reached " + endpoint);
            steps.start(LOGIN);
            steps.done("account key accepted for container " + target.container());
        } catch (RuntimeException e) {
            // "Reached" only on evidence that a server answered: the client throws the same kind of exception for a
            // refused connection as for an HTML page it could not read.
            if (answers.status() < 0) {
                steps.fail("cannot reach " + endpoint + ": " + AzureBlobTransport.words(e));
                return;
            }
            steps.done("reached " + endpoint + " (it answered HTTP " + answers.status() + ")");
            steps.start(LOGIN);
            String reason = e instanceof BlobStorageException blob ? AzureBlobTransport.classify(blob, target)
                    .getMessage() : "the server at " + endpoint + " answered HTTP " + answers.status()
                            + ", which the Azure client could not read";
            steps.fail(answers.azureLike() ? reason : reason + " (but the server did not answer like Azure Blob"
                    + " Storage: no x-ms-request-id; check BlobEndpoint in the connection string)");
            return;
        }
        steps.start(WRITE);
        String path = PathRules.join(routing.baseFolder(), PROBE_PREFIX + UUID.randomUUID());
        BlobClient blob = container.getBlobClient(path);
        boolean created = false;
        try {
            blob.upload(BinaryData.fromBytes(PROBE), true);
            created = true;
            byte[] back = blob.downloadContent().toBytes();
            if (!Arrays.equals(PROBE, back)) {
                steps.fail("wrote " + AzureBlobTransport.where(target) + "/" + path + ", but it reads back "
                        + back.length + " bytes that differ from the " + PROBE.length + " written");
            } else {
                steps.done("wrote " + AzureBlobTransport.where(target) + "/" + path + " (" + PROBE.length
                        + " bytes, read back identical)");
            }
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            steps.fail(created ? "wrote " + AzureBlobTransport.where(target) + "/" + path + ", but reading it back"
                    + " was refused (HTTP " + status + "): a delivery checks every file it writes"
                    : status == 403 ? "permission denied writing " + AzureBlobTransport.where(target) + "/" + path
                            + " (account " + account + ")"
                            : e instanceof BlobStorageException refused ? AzureBlobTransport.classify(refused, target)
                                    .getMessage() : "writing the probe file was refused (HTTP " + status + ")");
            if (!created) {
                return;
            }
        } catch (RuntimeException e) {
            steps.fail("writing the probe file failed: " + AzureBlobTransport.words(e));
            if (!created) {
                return;
            }
        }
        steps.start(DELETE);
        try {
            blob.delete();
            steps.done("removed " + AzureBlobTransport.where(target) + "/" + path);
        } catch (RuntimeException e) {
            steps.fail("could not remove " + AzureBlobTransport.where(target) + "/" + path + ": "
                    + (e instanceof HttpResponseException h && h.getResponse() != null
                            ? "HTTP " + h.getResponse().getStatusCode() : AzureBlobTransport.words(e)));
        }
    }

    private static String missingSecret(Routing routing) {
        return "no " + routing.missingSecret() + " is stored for this routing: it was dropped when the destination"
                + " changed (a secret stays with its destination); send it again with PUT /file-routings/"
                + routing.id();
    }

    private static String words(SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        return message.toLowerCase().contains("timed out") || message.toLowerCase().contains("timeout")
                ? "time-out (" + message + ")" : message;
    }

    /** A server's identification string is the server's choice: keep it short and printable. */
    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }

    /**
     * The steps of one test in order. A step is started, then either done or failed; once one failed, the rest are
     * not reached, except the removal of a probe that was created (it is removed, and that is reported).
     */
    private static final class Steps {

        private final List<String> names;
        private final List<Step> reported = new ArrayList<>();
        private String current;

        Steps(String... names) {
            this.names = List.of(names);
        }

        void start(String name) {
            current = name;
        }

        void done(String message) {
            reported.add(new Step(current, ConnectionTestResult.DONE, true, message));
            current = null;
        }

        void fail(String message) {
            String step = current != null ? current : names.get(Math.min(reported.size(), names.size() - 1));
            reported.add(new Step(step, ConnectionTestResult.FAILED, false, message));
            current = null;
        }

        ConnectionTestResult result(Routing routing) {
            List<Step> all = new ArrayList<>();
            String failedAt = null;
            for (String name : names) {
                Step step = reported.stream().filter(s -> s.step().equals(name)).findFirst().orElse(null);
                if (step == null) {
                    all.add(new Step(name, ConnectionTestResult.NOT_REACHED, false, "not reached: the test stopped at "
                            + (failedAt == null ? "an earlier step" : failedAt)));
                } else {
                    // Defence in depth, as for delivery errors: no message may carry a secret.
                    all.add(new Step(step.step(), step.status(), step.ok(), DeliveryService.scrub(step.message(),
                            routing)));
                    if (!step.ok() && failedAt == null) {
                        failedAt = name;
                    }
                }
            }
            return new ConnectionTestResult(all.stream().allMatch(Step::ok), all);
        }
    }
}
