package io.mailshot.delivery.service.transport;

import static io.mailshot.delivery.service.routing.ConnectionSteps.CONNECT;
import static io.mailshot.delivery.service.routing.ConnectionSteps.DELETE;
import static io.mailshot.delivery.service.routing.ConnectionSteps.LOGIN;
import static io.mailshot.delivery.service.routing.ConnectionSteps.WRITE;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
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
import io.mailshot.kit.storage.ChunkedSink;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * Delivers to an Azure Blob container by block upload: each file is streamed from staging into blocks of 8 MiB
 * (one reused buffer; every block carries its MD5, which the service checks), and stays invisible as uncommitted
 * blocks until every part is staged. Only then are the block lists committed, in order, each one verified (size,
 * the committed block list, the stored Content-MD5), and the manifest and the trigger file are uploaded and
 * committed last. Uncommitted blocks of a failed delivery are never visible; the service discards them when the
 * next commit of that blob happens or after a week.
 */
@ApplicationScoped
public class AzureBlobTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(AzureBlobTransport.class);
    static final int BLOCK_SIZE = 8 * 1024 * 1024;

    private final StagingBucket staging;
    private final DeliveryConfig config;
    // One JDK HTTP client (and its connection pool) for every destination; the SDK's default Netty one is excluded.
    private final HttpClient http;

    public AzureBlobTransport(StagingBucket staging, DeliveryConfig config) {
        this.staging = staging;
        this.config = config;
        this.http = new JdkHttpClientBuilder()
                .connectionTimeout(config.azureTimeout())
                .responseTimeout(config.azureTimeout())
                .readTimeout(config.azureTimeout())
                .writeTimeout(config.azureTimeout())
                .build();
    }

    @Override
    public RoutingType type() {
        return RoutingType.AZURE_BLOB;
    }

    @Override
    public List<String> testSteps() {
        return List.of(CONNECT, LOGIN, WRITE, DELETE);
    }

    @Override
    public List<DeliveredFile> deliver(DeliveryJob job) throws DeliveryException {
        Routing.AzureTarget target = job.routing().azure();
        List<Pending> pending = new ArrayList<>();
        try {
            BlobContainerClient container = container(target, 2);
            for (StagedFile file : job.parts()) {
                pending.add(stage(container, job, file));
            }
            job.checkNotCancelled();
            List<DeliveredFile> delivered = new ArrayList<>();
            for (Pending p : pending) {
                delivered.add(commit(target, p));
            }
            // The manifest, then the trigger file: each one only once everything before it is published.
            for (StagedFile file : job.tail()) {
                delivered.add(commit(target, stage(container, job, file)));
            }
            return delivered;
        } catch (BlobStorageException e) {
            throw classify(e, target);
        } catch (IOException e) {
            throw DeliveryException.transientFailure("streaming to " + where(target) + " failed: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw DeliveryException.transientFailure("cannot reach " + where(target) + ": " + words(e));
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException
                    || e.getCause() instanceof TimeoutException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
                throw DeliveryException.transientFailure("cannot reach " + where(target) + ": " + words(e));
            }
            throw e;
        }
    }

    /** A blob whose blocks are all staged and checked, not yet committed (so invisible). */
    private record Pending(
            StagedFile file,
            String name,
            String path,
            String contentType,
            BlockBlobClient blob,
            List<String> blockIds,
            List<Long> blockSizes,
            DeliveryJob.Written written) {}

    private Pending stage(BlobContainerClient container, DeliveryJob job, StagedFile file)
            throws IOException, DeliveryException {
        String name = job.deliveredName(file);
        String path = job.path(name);
        BlockBlobClient blob = container.getBlobClient(path).getBlockBlobClient();
        BlockSink sink = new BlockSink(blob, config.azureTimeout());
        DeliveryJob.Written written = job.copy(staging, file, sink);
        sink.finish();
        return new Pending(
                file, name, path, DeliveredContentType.of(job, staging, file), blob, sink.ids, sink.sizes, written);
    }

    /** Commits the block list (the blob appears whole, at once) and checks what the service now holds. */
    private DeliveredFile commit(Routing.AzureTarget target, Pending p) throws DeliveryException {
        BlobHttpHeaders headers = new BlobHttpHeaders()
                .setContentType(p.contentType())
                .setContentMd5(HexFormat.of().parseHex(p.written().md5()));
        p.blob()
                .commitBlockListWithResponse(
                        p.blockIds(), headers, null, null, null, config.azureTimeout(), Context.NONE);
        BlobProperties properties = p.blob().getProperties();
        List<Block> committed = p.blob().listBlocks(BlockListType.COMMITTED).getCommittedBlocks();
        String problem = null;
        if (properties.getBlobSize() != p.written().bytes()) {
            problem = "has " + properties.getBlobSize() + " bytes after commit, expected "
                    + p.written().bytes();
        } else if (!committed.stream().map(Block::getName).toList().equals(p.blockIds())
                || !committed.stream().map(Block::getSizeLong).toList().equals(p.blockSizes())) {
            problem = "does not hold the blocks that were staged";
        } else if (properties.getContentMd5() != null
                && !HexFormat.of()
                        .formatHex(properties.getContentMd5())
                        .equals(p.written().md5())) {
            problem = "has Content-MD5 " + HexFormat.of().formatHex(properties.getContentMd5()) + ", expected "
                    + p.written().md5();
        }
        String location = where(target) + "/" + p.path();
        if (problem != null) {
            // Never leave a wrong file visible: remove it and let the retry upload it again.
            p.blob().delete();
            throw DeliveryException.transientFailure(location + " " + problem);
        }
        LOG.infof(
                "published %s (%d bytes, %d blocks, size and block list verified)",
                location, properties.getBlobSize(), p.blockIds().size());
        return new DeliveredFile(
                p.name(), location, properties.getBlobSize(), p.written().sha256());
    }

    /** Stages one block per 8 MiB (a reused buffer), each with its MD5 so the service rejects a corrupted one. */
    private static final class BlockSink extends ChunkedSink {
        private final BlockBlobClient blob;
        private final Duration timeout;
        private final List<String> ids = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();

        BlockSink(BlockBlobClient blob, Duration timeout) {
            super(BLOCK_SIZE);
            this.blob = blob;
            this.timeout = timeout;
        }

        /** Stages the last block; an empty file has no block at all (it commits as an empty blob). */
        void finish() throws IOException {
            flushLast(false);
        }

        @Override
        protected byte[] chunk(byte[] data, int length, int number) {
            // Same-length ids, the same for every attempt of a delivery: a retry restages over its own blocks.
            String id = Base64.getEncoder()
                    .encodeToString(String.format("mailshot-block-%06d", number).getBytes(StandardCharsets.US_ASCII));
            MessageDigest digest = md5();
            digest.update(data, 0, length);
            byte[] md5 = digest.digest();
            blob.stageBlockWithResponse(
                    id, new ByteArrayInputStream(data, 0, length), length, md5, null, timeout, Context.NONE);
            ids.add(id);
            sizes.add((long) length);
            return data;
        }
    }

    /**
     * A client of the routing's container. {@code tries} per request (the SDK's own retries, for a lost connection
     * in the middle of a long upload); the delivery's retries with backoff come on top, per attempt.
     */
    BlobContainerClient container(Routing.AzureTarget target, int tries) {
        return container(target, tries, null);
    }

    /** As {@link #container(Routing.AzureTarget, int)}, reporting every HTTP answer to {@code answers} if given. */
    BlobContainerClient container(Routing.AzureTarget target, int tries, Answers answers) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .httpClient(http)
                .retryOptions(new RequestRetryOptions(
                        RetryPolicyType.EXPONENTIAL,
                        tries,
                        config.azureTimeout(),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(5),
                        null));
        if (target.connectionString() != null) {
            builder.connectionString(target.connectionString());
        } else {
            // Dropped with a change of destination: anonymous, only for the connection test to see a server answer.
            builder.endpoint(target.parsed().blobEndpoint());
        }
        if (answers != null) {
            builder.addPolicy(answers);
        }
        return builder.buildClient().getBlobContainerClient(target.container());
    }

    /**
     * Records whether any HTTP answer came back, and whether it looked like Azure's (Azure puts a request id in every
     * answer), so the connection test says "reached" only when a server really answered: the client throws the same
     * kind of exception for a refused connection as for an HTML page it cannot read.
     */
    static final class Answers implements HttpPipelinePolicy {

        private volatile int status = -1;
        private volatile boolean azureLike;

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return next.process().doOnNext(this::record);
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            HttpResponse response = next.processSync();
            record(response);
            return response;
        }

        private void record(HttpResponse response) {
            status = response.getStatusCode();
            azureLike = response.getHeaderValue(HttpHeaderName.fromString("x-ms-request-id")) != null;
        }

        /** The status of the last answer; -1 when no server answered. */
        int status() {
            return status;
        }

        boolean azureLike() {
            return azureLike;
        }
    }

    /** {@code <blob endpoint>/<container>}, for messages. */
    static String where(Routing.AzureTarget target) {
        return target.parsed().blobEndpoint() + "/" + target.container();
    }

    static DeliveryException classify(BlobStorageException e, Routing.AzureTarget target) {
        BlobErrorCode code = e.getErrorCode();
        int status = e.getStatusCode();
        String account = target.parsed().accountName();
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code) || BlobErrorCode.CONTAINER_BEING_DELETED.equals(code)) {
            return DeliveryException.permanent(
                    "container " + target.container() + " does not exist in account " + account);
        }
        // Azure answers a wrong account key with AuthenticationFailed; Azurite answers it with AuthorizationFailure
        // (which Azure also uses for network rules refusing the caller): both mean "these credentials do not get in".
        if (BlobErrorCode.AUTHENTICATION_FAILED.equals(code)
                || BlobErrorCode.INVALID_AUTHENTICATION_INFO.equals(code)
                || BlobErrorCode.AUTHORIZATION_FAILURE.equals(code)
                || (status == 403 && code == null)) {
            return DeliveryException.permanent("authentication refused for account " + account
                    + (code == null ? "" : " (" + code + ")") + ": check the account key in the connection string");
        }
        if (status == 403) {
            return DeliveryException.permanent("permission denied writing to container " + target.container()
                    + " of account " + account + " (" + code + ")");
        }
        if (status >= 500
                || status == 408
                || status == 429
                || BlobErrorCode.OPERATION_TIMED_OUT.equals(code)
                || BlobErrorCode.SERVER_BUSY.equals(code)) {
            return DeliveryException.transientFailure(
                    "Azure Blob error " + status + (code == null ? "" : " " + code) + " at " + where(target));
        }
        return DeliveryException.permanent("Azure Blob refused the upload to " + where(target) + ": HTTP " + status
                + (code == null ? "" : " " + code));
    }

    /** Plain words for a transport failure, "time-out" first when it is one. */
    static String words(RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String message = String.valueOf(cause.getMessage());
        boolean timeout = cause instanceof TimeoutException
                || cause instanceof HttpTimeoutException
                || message.toLowerCase(Locale.ROOT).contains("timeout")
                || message.toLowerCase(Locale.ROOT).contains("timed out");
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + message);
        return timeout ? "time-out (" + text + ")" : text;
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
        Routing.AzureTarget target = routing.azure();
        String endpoint = target.parsed().blobEndpoint();
        String account = target.parsed().accountName();
        steps.start(CONNECT);
        Answers answers = new Answers();
        // One try per request: the test reports what happens, it does not wait for retries.
        BlobContainerClient container;
        if (routing.missingSecret() != null) {
            try {
                container(target, 1, answers).getProperties();
            } catch (RuntimeException e) {
                if (answers.status() < 0) {
                    steps.fail("cannot reach " + endpoint + ": " + words(e));
                    return;
                }
            }
            steps.done("reached " + endpoint);
            steps.start(LOGIN);
            steps.fail(ConnectionSteps.missingSecret(routing));
            return;
        }
        try {
            container = container(target, 1, answers);
            container.getProperties();
            steps.done("reached " + endpoint);
            steps.start(LOGIN);
            steps.done("account key accepted for container " + target.container());
        } catch (RuntimeException e) {
            // "Reached" only on evidence that a server answered: the client throws the same kind of exception for a
            // refused connection as for an HTML page it could not read.
            if (answers.status() < 0) {
                steps.fail("cannot reach " + endpoint + ": " + words(e));
                return;
            }
            steps.done("reached " + endpoint + " (it answered HTTP " + answers.status() + ")");
            steps.start(LOGIN);
            String reason = e instanceof BlobStorageException blob
                    ? classify(blob, target).getMessage()
                    : "the server at " + endpoint + " answered HTTP " + answers.status()
                            + ", which the Azure client could not read";
            steps.fail(
                    answers.azureLike()
                            ? reason
                            : reason + " (but the server did not answer like Azure Blob"
                                    + " Storage: no x-ms-request-id; check BlobEndpoint in the connection string)");
            return;
        }
        steps.start(WRITE);
        String path = PathRules.join(routing.baseFolder(), ConnectionSteps.PROBE_PREFIX + UUID.randomUUID());
        BlobClient blob = container.getBlobClient(path);
        boolean created = false;
        try {
            blob.upload(BinaryData.fromBytes(probe), true);
            created = true;
            byte[] back = blob.downloadContent().toBytes();
            if (!Arrays.equals(probe, back)) {
                steps.fail("wrote " + where(target) + "/" + path + ", but it reads back " + back.length
                        + " bytes that differ from the " + probe.length + " written");
            } else {
                steps.done(
                        "wrote " + where(target) + "/" + path + " (" + probe.length + " bytes, read back identical)");
            }
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            steps.fail(
                    created
                            ? "wrote " + where(target) + "/" + path + ", but reading it back" + " was refused (HTTP "
                                    + status + "): a delivery checks every file it writes"
                            : status == 403
                                    ? "permission denied writing " + where(target) + "/" + path + " (account " + account
                                            + ")"
                                    : e instanceof BlobStorageException refused
                                            ? classify(refused, target).getMessage()
                                            : "writing the probe file was refused (HTTP " + status + ")");
            if (!created) {
                return;
            }
        } catch (RuntimeException e) {
            steps.fail("writing the probe file failed: " + words(e));
            if (!created) {
                return;
            }
        }
        steps.start(DELETE);
        try {
            blob.delete();
            steps.done("removed " + where(target) + "/" + path);
        } catch (RuntimeException e) {
            steps.fail("could not remove " + where(target) + "/" + path + ": "
                    + (e instanceof HttpResponseException h && h.getResponse() != null
                            ? "HTTP " + h.getResponse().getStatusCode()
                            : words(e)));
        }
    }
}
