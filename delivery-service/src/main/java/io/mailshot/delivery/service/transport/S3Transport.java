package io.mailshot.delivery.service.transport;

import static io.mailshot.delivery.service.routing.ConnectionSteps.CONNECT;
import static io.mailshot.delivery.service.routing.ConnectionSteps.DELETE;
import static io.mailshot.delivery.service.routing.ConnectionSteps.LOGIN;
import static io.mailshot.delivery.service.routing.ConnectionSteps.WRITE;

import io.mailshot.delivery.client.StagingBucket;
import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.delivery.service.delivery.DeliveredContentType;
import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.delivery.service.delivery.DeliveryJob;
import io.mailshot.delivery.service.routing.ConnectionSteps;
import io.mailshot.delivery.service.routing.Routing;
import io.mailshot.delivery.service.routing.RoutingType;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.StagedFile;
import io.mailshot.events.files.PathRules;
import io.mailshot.kit.storage.S3MultipartWriter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Delivers to an S3 bucket by multipart uploads streamed from staging in 8 MiB parts. Every file's upload is
 * left open until all of them are uploaded and verified; only then are they completed, in order, and the
 * manifest, then the trigger file, are uploaded last. Failed uploads are aborted, so nothing partial ever becomes
 * visible.
 */
@ApplicationScoped
public class S3Transport implements Transport {

    private static final Logger LOG = Logger.getLogger(S3Transport.class);
    static final int PART_SIZE = 8 * 1024 * 1024;
    static final String KMS = "aws:kms";
    private static final Pattern MD5_ETAG = Pattern.compile("^[0-9a-f]{32}$");
    private static final Pattern MULTIPART_ETAG = Pattern.compile("^[0-9a-f]{32}-\\d+$");

    private final StagingBucket staging;
    private final DeliveryConfig config;
    /** Parts of one file in flight at once: the store's per-request speed, not the network, bounded a serial copy. */
    static final int PARTS_IN_FLIGHT = 3;
    // Hand-made: part uploads block on the network, so they stay off Quarkus' shared worker pool; unbounded here
    // but bounded in use, PARTS_IN_FLIGHT per file times the deferred workers that run deliveries.
    private final ExecutorService partUploads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3-part-upload");
        t.setDaemon(true);
        return t;
    });
    private final S3MultipartWriter writer = new S3MultipartWriter(partUploads, PART_SIZE, PARTS_IN_FLIGHT);

    public S3Transport(StagingBucket staging, DeliveryConfig config) {
        this.staging = staging;
        this.config = config;
    }

    @PreDestroy
    void stopUploads() {
        partUploads.shutdownNow();
    }

    @Override
    public RoutingType type() {
        return RoutingType.S3;
    }

    @Override
    public List<String> testSteps() {
        return List.of(CONNECT, LOGIN, WRITE, DELETE);
    }

    @Override
    public List<DeliveredFile> deliver(DeliveryJob job) throws DeliveryException {
        Routing.S3Target target = job.routing().s3();
        String bucket = target.bucket();
        List<Pending> pending = new ArrayList<>();
        try (S3Client client = client(target)) {
            try {
                for (StagedFile file : job.parts()) {
                    pending.add(upload(client, job, file));
                }
                job.checkNotCancelled();
                List<DeliveredFile> delivered = new ArrayList<>();
                while (!pending.isEmpty()) {
                    delivered.add(complete(client, bucket, pending.get(0)));
                    pending.remove(0);
                }
                // The manifest, then the trigger file: each one only once everything before it is published.
                for (StagedFile file : job.tail()) {
                    Pending last = upload(client, job, file);
                    pending.add(last);
                    delivered.add(complete(client, bucket, last));
                    pending.clear();
                }
                return delivered;
            } finally {
                for (Pending p : pending) {
                    S3MultipartWriter.abort(client, bucket, p.key(), p.uploadId());
                }
            }
        } catch (S3Exception e) {
            throw classify(e, target);
        } catch (SdkClientException e) {
            throw DeliveryException.transientFailure("cannot reach S3 for bucket " + bucket + ": " + e.getMessage());
        } catch (IOException e) {
            throw DeliveryException.transientFailure("streaming to s3://" + bucket + " failed: " + e.getMessage());
        }
    }

    /** A multipart upload with every part sent and the content verified, not yet completed (so invisible). */
    private record Pending(
            StagedFile file,
            String name,
            String key,
            String uploadId,
            List<CompletedPart> parts,
            DeliveryJob.Written written,
            boolean etagIsChecksum) {}

    private Pending upload(S3Client client, DeliveryJob job, StagedFile file) throws IOException, DeliveryException {
        String bucket = job.routing().s3().bucket();
        String name = job.deliveredName(file);
        String key = job.path(name);
        Routing.S3Target target = job.routing().s3();
        abortLeftovers(client, bucket, key);
        String contentType = DeliveredContentType.of(job, staging, file);
        String uploadId = client.createMultipartUpload(
                        b -> encryption(b.bucket(bucket).key(key).contentType(contentType), target))
                .uploadId();
        // With SSE-KMS the ETags are not MD5 digests of the content: the server checks each part's Content-MD5 instead.
        boolean etagIsChecksum = !KMS.equals(target.serverSideEncryption());
        boolean uploaded = false;
        S3MultipartWriter.PartStream sink = writer.stream(
                client,
                bucket,
                key,
                uploadId,
                etagIsChecksum ? S3MultipartWriter.Checksum.VERIFY_ETAG : S3MultipartWriter.Checksum.CONTENT_MD5);
        try {
            DeliveryJob.Written written = job.copy(staging, file, sink);
            List<CompletedPart> parts = sink.finish();
            uploaded = true;
            return new Pending(file, name, key, uploadId, parts, written, etagIsChecksum);
        } finally {
            if (!uploaded) {
                sink.cancel();
                S3MultipartWriter.abort(client, bucket, key, uploadId);
            }
        }
    }

    private static DeliveredFile complete(S3Client client, String bucket, Pending p) throws DeliveryException {
        String etag = client.completeMultipartUpload(b ->
                        b.bucket(bucket).key(p.key()).uploadId(p.uploadId()).multipartUpload(m -> m.parts(p.parts())))
                .eTag();
        long size = client.headObject(b -> b.bucket(bucket).key(p.key())).contentLength();
        String problem = null;
        if (size != p.written().bytes()) {
            problem = "has " + size + " bytes after upload, expected "
                    + p.written().bytes();
        } else if (p.etagIsChecksum() && !etagMatches(S3MultipartWriter.unquote(etag), p)) {
            problem = "has ETag " + S3MultipartWriter.unquote(etag)
                    + " after upload, which does not match the uploaded content";
        }
        if (problem != null) {
            // Never leave a wrong file visible: remove it and let the retry upload it again.
            client.deleteObject(b -> b.bucket(bucket).key(p.key()));
            throw DeliveryException.transientFailure("s3://" + bucket + "/" + p.key() + " " + problem);
        }
        LOG.infof(
                "published s3://%s/%s (%d bytes, %d parts, %s)",
                bucket,
                p.key(),
                size,
                p.parts().size(),
                !p.etagIsChecksum()
                        ? "size verified, each part's Content-MD5 checked by the store"
                        : checksumOffered(S3MultipartWriter.unquote(etag))
                                ? "ETag checksum verified"
                                : "size verified, the store offers no checksum");
        return new DeliveredFile(
                p.name(), "s3://" + bucket + "/" + p.key(), size, p.written().sha256());
    }

    /**
     * The store's checksum, where it offers one: an MD5 ETag of the whole object, or the multipart form
     * md5(part md5s)-N. Other ETag forms (e.g. with SSE-KMS) carry no checksum and are not compared.
     */
    private static boolean etagMatches(String etag, Pending p) {
        if (etag == null) {
            return true;
        }
        String lower = etag.toLowerCase(Locale.ROOT);
        if (MD5_ETAG.matcher(lower).matches()) {
            return lower.equals(p.written().md5())
                    || lower.equals(compositeEtag(p.parts()).split("-")[0]);
        }
        if (MULTIPART_ETAG.matcher(lower).matches()) {
            return lower.equals(compositeEtag(p.parts()));
        }
        return true;
    }

    private static boolean checksumOffered(String etag) {
        String lower = etag == null ? "" : etag.toLowerCase(Locale.ROOT);
        return MD5_ETAG.matcher(lower).matches()
                || MULTIPART_ETAG.matcher(lower).matches();
    }

    private static String compositeEtag(List<CompletedPart> parts) {
        MessageDigest md5 = md5();
        for (CompletedPart part : parts) {
            String e = S3MultipartWriter.unquote(part.eTag()).toLowerCase(Locale.ROOT);
            if (!MD5_ETAG.matcher(e).matches()) {
                return "";
            }
            md5.update(HexFormat.of().parseHex(e));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
    }

    /** A restart mid-upload may have left an unfinished upload of this key: abort it, it would never complete. */
    private static void abortLeftovers(S3Client client, String bucket, String key) {
        List<MultipartUpload> uploads;
        try {
            uploads = client.listMultipartUploads(b -> b.bucket(bucket).prefix(key))
                    .uploads();
        } catch (S3Exception e) {
            if (e.statusCode() == 403 || e.statusCode() == 404) {
                throw e;
            }
            // Some S3-compatible stores cannot list uploads; a leftover there only costs storage until it expires.
            LOG.debugf("cannot list unfinished uploads of s3://%s/%s: HTTP %d", bucket, key, e.statusCode());
            return;
        }
        for (MultipartUpload upload : uploads) {
            if (key.equals(upload.key())) {
                LOG.infof("aborting an unfinished earlier upload of s3://%s/%s", bucket, key);
                S3MultipartWriter.abort(client, bucket, key, upload.uploadId());
            }
        }
    }

    private S3Client client(Routing.S3Target target) {
        return client(target, null);
    }

    private S3Client client(Routing.S3Target target, Answers answers) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.s3Timeout())
                        .socketTimeout(config.s3Timeout())
                        .build())
                .region(Region.of(target.region() == null ? "us-east-1" : target.region()))
                // Without a secret (dropped with a change of destination) only the connection test asks, anonymously.
                .credentialsProvider(
                        target.secretAccessKey() == null
                                ? AnonymousCredentialsProvider.create()
                                : StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(target.accessKeyId(), target.secretAccessKey())))
                .forcePathStyle(target.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (target.endpoint() != null) {
            builder.endpointOverride(URI.create(target.endpoint()));
        }
        if (answers != null) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(answers));
        }
        return builder.build();
    }

    /**
     * Records whether any HTTP answer came back, and whether it looked like S3's (S3 servers put a request id in
     * every answer), so the connection test says "reached" only when a server really answered.
     */
    static final class Answers implements ExecutionInterceptor {

        private volatile int status = -1;
        private volatile boolean s3Like;

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            status = context.httpResponse().statusCode();
            s3Like = context.httpResponse()
                    .firstMatchingHeader("x-amz-request-id")
                    .isPresent();
        }

        /** The status of the last answer; -1 when no server answered. */
        int status() {
            return status;
        }

        boolean s3Like() {
            return s3Like;
        }
    }

    /** Asks for the routing's server-side encryption, if any, on an upload request. */
    static <B extends software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest.Builder> B encryption(
            B builder, Routing.S3Target target) {
        if (target.serverSideEncryption() != null) {
            builder.serverSideEncryption(target.serverSideEncryption());
            if (target.kmsKeyId() != null) {
                builder.ssekmsKeyId(target.kmsKeyId());
            }
        }
        return builder;
    }

    /** The same for the connection test's probe object. */
    static software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder encryption(
            software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder builder, Routing.S3Target target) {
        if (target.serverSideEncryption() != null) {
            builder.serverSideEncryption(target.serverSideEncryption());
            if (target.kmsKeyId() != null) {
                builder.ssekmsKeyId(target.kmsKeyId());
            }
        }
        return builder;
    }

    /** As {@link #classify(S3Exception, String)}, saying so when the store refuses the server-side encryption asked for. */
    static DeliveryException classify(S3Exception e, Routing.S3Target target) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (target.serverSideEncryption() != null && (e.statusCode() == 501 || "NotImplemented".equals(code))) {
            // s3proxy, for one, answers any x-amz-server-side-encryption header with 501 NotImplemented.
            return DeliveryException.permanent("the S3 server of bucket " + target.bucket() + " does not support"
                    + " server-side encryption " + target.serverSideEncryption() + " (HTTP " + e.statusCode()
                    + (code == null ? "" : " " + code) + "): remove the setting or use a store that supports it");
        }
        return classify(e, target.bucket());
    }

    static DeliveryException classify(S3Exception e, String bucket) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
            return DeliveryException.permanent("bucket " + bucket + " does not exist");
        }
        if (status == 403
                || "AccessDenied".equals(code)
                || "InvalidAccessKeyId".equals(code)
                || "SignatureDoesNotMatch".equals(code)) {
            return DeliveryException.permanent("access to bucket " + bucket + " refused"
                    + (code == null ? "" : " (" + code + ")") + ": check the access key and its permissions");
        }
        if (status == 501 || "NotImplemented".equals(code)) {
            return DeliveryException.permanent("the S3 server of bucket " + bucket + " does not implement a request"
                    + " the delivery needs (HTTP 501" + (code == null ? "" : " " + code) + ")");
        }
        if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
            return DeliveryException.transientFailure(
                    "S3 error " + status + (code == null ? "" : " " + code) + " on bucket " + bucket);
        }
        return DeliveryException.permanent(
                "S3 refused the upload to bucket " + bucket + ": HTTP " + status + (code == null ? "" : " " + code));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void test(Routing routing, ConnectionSteps steps) {
        byte[] probe = ConnectionSteps.probe();
        Routing.S3Target target = routing.s3();
        String bucket = target.bucket();
        String where = target.endpoint() == null ? "S3" : target.endpoint();
        steps.start(CONNECT);
        Answers answers = new Answers();
        S3Client client;
        try {
            client = client(target, answers);
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
                        steps.fail("cannot reach " + where + ": "
                                + (e instanceof SdkClientException c
                                        ? words(c)
                                        : e.getClass().getSimpleName()));
                        return;
                    }
                }
                steps.done("reached " + where);
                steps.start(LOGIN);
                steps.fail(ConnectionSteps.missingSecret(routing));
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
                    steps.fail("cannot reach " + where + ": "
                            + (e instanceof SdkClientException c
                                    ? words(c)
                                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
                    return;
                }
                steps.done("reached " + where + " (it answered HTTP " + answers.status() + ")");
                steps.start(LOGIN);
                String reason = !(e instanceof S3Exception s3e)
                        ? "the server at " + where + " answered HTTP " + answers.status()
                                + ", which the S3 client could not read"
                        : s3e.statusCode() == 404
                                ? "bucket " + bucket + " does not exist"
                                : s3e.statusCode() == 403
                                        ? "access to bucket " + bucket
                                                + " refused: check the access key, the secret and the key's permissions"
                                        : classify(s3e, bucket).getMessage();
                steps.fail(
                        answers.s3Like()
                                ? reason
                                : reason + " (but the server did not answer like an S3 server:"
                                        + " no x-amz-request-id; check s3.endpoint)");
                return;
            }

            steps.start(WRITE);
            String key = PathRules.join(routing.baseFolder(), ConnectionSteps.PROBE_PREFIX + UUID.randomUUID());
            boolean created = false;
            try {
                // With the routing's server-side encryption, so a bucket policy that demands it is tested too.
                client.putObject(b -> encryption(b.bucket(bucket).key(key), target), RequestBody.fromBytes(probe));
                created = true;
                byte[] back =
                        client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                if (!Arrays.equals(probe, back)) {
                    steps.fail("wrote s3://" + bucket + "/" + key + ", but it reads back " + back.length
                            + " bytes that differ from the " + probe.length + " written: the endpoint does not behave"
                            + " like S3");
                } else {
                    steps.done(
                            "wrote s3://" + bucket + "/" + key + " (" + probe.length + " bytes, read back identical)");
                }
            } catch (S3Exception e) {
                steps.fail(
                        created
                                ? "wrote s3://" + bucket + "/" + key + ", but reading it back was refused (HTTP "
                                        + e.statusCode() + "): a delivery checks every file it writes"
                                : e.statusCode() == 403
                                        ? "permission denied writing s3://" + bucket + "/" + key
                                        : classify(e, target).getMessage());
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

    private static String words(SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        return message.toLowerCase().contains("timed out")
                        || message.toLowerCase().contains("timeout")
                ? "time-out (" + message + ")"
                : message;
    }
}
