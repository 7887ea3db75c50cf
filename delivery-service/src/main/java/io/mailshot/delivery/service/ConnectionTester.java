package io.mailshot.delivery.service;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import io.mailshot.delivery.rest.ConnectionTestResult;
import io.mailshot.delivery.rest.ConnectionTestResult.Step;
import io.mailshot.kit.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tries a routing's destination the way a delivery would: connect, authenticate, write a small probe file and
 * remove it, and says in plain words which step worked and which did not. Stops at the first failed step.
 */
@ApplicationScoped
public class ConnectionTester {

    private static final Logger LOG = Logger.getLogger(ConnectionTester.class);
    static final String PROBE_PREFIX = ".mailshot-connection-test-";
    private static final byte[] PROBE = "Mailshot connection test; safe to delete.\n".getBytes(StandardCharsets.UTF_8);

    private final RoutingService routings;
    private final S3Transport s3;
    private final SftpTransport sftp;
    private final AzureBlobTransport azure;

    public ConnectionTester(RoutingService routings, S3Transport s3, SftpTransport sftp, AzureBlobTransport azure) {
        this.azure = azure;
        this.routings = routings;
        this.s3 = s3;
        this.sftp = sftp;
    }

    public ConnectionTestResult test(UUID id) {
        Routing routing = routings.resolve(id).orElseThrow(() -> ApiException.notFound("file routing", id));
        List<Step> steps = new ArrayList<>();
        switch (routing.type()) {
            case S3 -> testS3(routing, steps);
            case SFTP -> testSftp(routing, steps);
            case AZURE_BLOB -> testAzure(routing, steps);
        }
        // Defence in depth, as for delivery errors: no message may carry a secret.
        List<Step> scrubbed = steps.stream()
                .map(s -> new Step(s.step(), s.ok(), DeliveryService.scrub(s.message(), routing))).toList();
        boolean ok = scrubbed.size() == 4 && scrubbed.stream().allMatch(Step::ok);
        LOG.infof("connection test of routing %s: %s", id, ok ? "ok" : "failed");
        return new ConnectionTestResult(ok, scrubbed);
    }

    private void testS3(Routing routing, List<Step> steps) {
        Routing.S3Target target = routing.s3();
        String bucket = target.bucket();
        String where = target.endpoint() == null ? "S3" : target.endpoint();
        try (S3Client client = s3.open(target)) {
            try {
                client.headBucket(b -> b.bucket(bucket));
                steps.add(new Step("connect", true, "reached " + where));
                steps.add(new Step("authenticate", true, "credentials accepted for bucket " + bucket));
            } catch (SdkClientException e) {
                steps.add(new Step("connect", false, "cannot reach " + where + ": " + words(e)));
                return;
            } catch (S3Exception e) {
                steps.add(new Step("connect", true, "reached " + where));
                steps.add(new Step("authenticate", false, e.statusCode() == 404
                        ? "bucket " + bucket + " does not exist"
                        : e.statusCode() == 403 ? "access to bucket " + bucket
                                + " refused: check the access key, the secret and the key's permissions"
                                : S3Transport.classify(e, bucket).getMessage()));
                return;
            }
            String key = PathRules.join(routing.baseFolder(), PROBE_PREFIX + UUID.randomUUID());
            try {
                // With the routing's server-side encryption, so a bucket policy that demands it is tested too.
                client.putObject(b -> S3Transport.encryption(b.bucket(bucket).key(key), target),
                        RequestBody.fromBytes(PROBE));
                steps.add(new Step("write", true, "wrote s3://" + bucket + "/" + key));
            } catch (S3Exception e) {
                steps.add(new Step("write", false, e.statusCode() == 403 ? "permission denied writing s3://" + bucket
                        + "/" + key : S3Transport.classify(e, target).getMessage()));
                return;
            } catch (SdkClientException e) {
                steps.add(new Step("write", false, "writing the probe file failed: " + words(e)));
                return;
            }
            try {
                client.deleteObject(b -> b.bucket(bucket).key(key));
                steps.add(new Step("remove", true, "removed the probe file"));
            } catch (S3Exception | SdkClientException e) {
                steps.add(new Step("remove", false, "could not remove s3://" + bucket + "/" + key + ": "
                        + (e instanceof S3Exception s ? "HTTP " + s.statusCode() : String.valueOf(e.getMessage()))));
            }
        }
    }

    private void testAzure(Routing routing, List<Step> steps) {
        Routing.AzureTarget target = routing.azure();
        String endpoint = target.parsed().blobEndpoint();
        String account = target.parsed().accountName();
        // One try per request: the test reports what happens, it does not wait for retries.
        BlobContainerClient container = azure.container(target, 1);
        try {
            container.getProperties();
            steps.add(new Step("connect", true, "reached " + endpoint));
            steps.add(new Step("authenticate", true, "account key accepted for container " + target.container()));
        } catch (BlobStorageException e) {
            steps.add(new Step("connect", true, "reached " + endpoint));
            steps.add(new Step("authenticate", false, AzureBlobTransport.classify(e, target).getMessage()));
            return;
        } catch (RuntimeException e) {
            steps.add(new Step("connect", false, "cannot reach " + endpoint + ": " + AzureBlobTransport.words(e)));
            return;
        }
        String path = PathRules.join(routing.baseFolder(), PROBE_PREFIX + UUID.randomUUID());
        BlobClient blob = container.getBlobClient(path);
        try {
            blob.upload(BinaryData.fromBytes(PROBE), true);
            steps.add(new Step("write", true, "wrote " + AzureBlobTransport.where(target) + "/" + path));
        } catch (BlobStorageException e) {
            steps.add(new Step("write", false, e.getStatusCode() == 403 ? "permission denied writing "
                    + AzureBlobTransport.where(target) + "/" + path + " (account " + account + ")"
                    : AzureBlobTransport.classify(e, target).getMessage()));
            return;
        } catch (RuntimeException e) {
            steps.add(new Step("write", false, "writing the probe file failed: " + AzureBlobTransport.words(e)));
            return;
        }
        try {
            blob.delete();
            steps.add(new Step("remove", true, "removed the probe file"));
        } catch (RuntimeException e) {
            steps.add(new Step("remove", false, "could not remove " + AzureBlobTransport.where(target) + "/" + path
                    + ": " + (e instanceof BlobStorageException b ? "HTTP " + b.getStatusCode()
                            : AzureBlobTransport.words(e))));
        }
    }

    private void testSftp(Routing routing, List<Step> steps) {
        Routing.SftpTarget target = routing.sftp();
        String where = target.host() + ":" + target.port();
        SftpTransport.Session session;
        try {
            session = sftp.connect(target);
        } catch (DeliveryException e) {
            steps.add(new Step("connect", false, e.getMessage()));
            return;
        }
        try (session) {
            try {
                session.authenticate();
            } catch (DeliveryException e) {
                DeliveryException mismatch = session.hostKeyMismatch();
                if (mismatch != null) {
                    steps.add(new Step("connect", false, mismatch.getMessage()
                            + " (refused: nothing was sent to this server)"));
                } else {
                    steps.add(new Step("connect", true, "connected to " + where
                            + "; the host key matches the pinned fingerprint"));
                    steps.add(new Step("authenticate", false, e.getMessage()));
                }
                return;
            }
            steps.add(new Step("connect", true, "connected to " + where
                    + "; the host key matches the pinned fingerprint"));
            steps.add(new Step("authenticate", true, "logged in as " + target.username()));
            String path = PathRules.join(routing.baseFolder(), PROBE_PREFIX + UUID.randomUUID());
            SftpClient client;
            try {
                client = session.sftp();
                SftpTransport.ensureFolders(client, routing.baseFolder());
                try (OutputStream out = client.write(path, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate)) {
                    out.write(PROBE);
                }
                steps.add(new Step("write", true, "wrote " + path));
            } catch (SftpException e) {
                steps.add(new Step("write", false, SftpTransport.classify(e, routing.destination()).getMessage()));
                return;
            } catch (IOException e) {
                steps.add(new Step("write", false, "writing " + path + " failed: " + SftpTransport.timeoutWords(e)));
                return;
            }
            try {
                client.remove(path);
                steps.add(new Step("remove", true, "removed the probe file"));
            } catch (IOException e) {
                steps.add(new Step("remove", false, "could not remove " + path + ": " + e.getMessage()));
            }
        }
    }

    private static String words(SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        return message.toLowerCase().contains("timed out") || message.toLowerCase().contains("timeout")
                ? "time-out (" + message + ")" : message;
    }
}
