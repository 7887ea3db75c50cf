package io.mailshot.extraction.client;

import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.config.StagingConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The internal staging bucket: finished files are uploaded here, where the delivery-service picks them up.
 * Re-uploading a key (a replayed run) simply overwrites it.
 */
@ApplicationScoped
public class StagingBucket {

    private static final Logger LOG = Logger.getLogger(StagingBucket.class);

    private final S3Client s3;
    private final String bucket;
    private final long multipartThreshold;
    private final long partSize;
    private final ExecutorService uploads;

    public StagingBucket(StagingConfig staging, ExtractionConfig extraction) {
        int concurrency = Math.max(1, extraction.uploadConcurrency());
        this.uploads = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "staging-part-upload");
            t.setDaemon(true);
            return t;
        });
        this.bucket = staging.bucket();
        this.multipartThreshold = extraction.multipartThreshold().asLongValue();
        // S3 refuses parts below 5 MiB (except the last one).
        this.partSize = Math.max(5L * 1024 * 1024, extraction.partSize().asLongValue());
        this.s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(staging.endpoint()))
                .forcePathStyle(staging.pathStyle())
                .region(Region.of(staging.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(staging.accessKeyId(), staging.secretAccessKey())))
                // s3proxy rejects the SDK's default CRC checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        try {
            ensureBucket();
        } catch (SdkException e) {
            // Readiness reports it; uploads are retried by the consumer.
            LOG.warnf("staging bucket %s not available yet: %s", bucket, e.getMessage());
        }
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket when it does not exist. */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
                LOG.infof("created staging bucket %s", bucket);
            } catch (BucketAlreadyOwnedByYouException raced) {
                // Another instance created it first.
            }
        }
    }

    /** Whether the bucket answers; throws when it does not. */
    public void check() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    /** Uploads a local file to {@code key} with its content type; large files go as a multipart upload. */
    public void upload(Path file, String key, String contentType) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (size <= multipartThreshold) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size),
                    RequestBody.fromFile(file));
        } else {
            uploadMultipart(file, key, size, contentType);
        }
    }

    /** Deletes every object whose key starts with {@code prefix}; returns how many were deleted. */
    public int deletePrefix(String prefix) {
        int deleted = 0;
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
            for (var object : page.contents()) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Uploads the parts concurrently ({@code upload-concurrency} at a time, each read from its own slice of
     * the file) and completes the upload once every part is acknowledged; any failure aborts it, so nothing
     * partial is ever visible under the key.
     */
    private void uploadMultipart(Path file, String key, long size, String contentType) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        List<Future<CompletedPart>> pending = new ArrayList<>();
        try {
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long start = offset;
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                pending.add(uploads.submit(() -> {
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber).contentLength(length),
                            RequestBody.fromContentProvider(slice(file, start, length), length, contentType)).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                }));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> part : pending) {
                parts.add(awaitPart(part));
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            pending.forEach(f -> f.cancel(true));
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private static CompletedPart awaitPart(Future<CompletedPart> part) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading to staging", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A re-openable view of part of a file, so the SDK can retry a part without holding it in memory. */
    private static ContentStreamProvider slice(Path file, long offset, long length) {
        return () -> {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return new LimitedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @PreDestroy
    void close() {
        uploads.shutdownNow();
        s3.close();
    }

    /** Reads at most {@code remaining} bytes of the underlying stream. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
