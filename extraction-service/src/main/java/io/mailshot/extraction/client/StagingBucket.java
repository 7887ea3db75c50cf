package io.mailshot.extraction.client;

import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.config.StagingConfig;
import io.mailshot.kit.storage.S3MultipartWriter;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
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
    private final ExecutorService uploads;
    private final S3MultipartWriter writer;

    public StagingBucket(StagingConfig staging, ExtractionConfig extraction) {
        int concurrency = Math.max(1, extraction.uploadConcurrency());
        // Hand-made: its size is the staging upload parallelism (upload-concurrency), and parts block on the
        // network, so they stay off Quarkus' shared worker pool.
        this.uploads = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "staging-part-upload");
            t.setDaemon(true);
            return t;
        });
        this.bucket = staging.bucket();
        this.multipartThreshold = extraction.multipartThreshold().asLongValue();
        // S3 refuses parts below 5 MiB (except the last one). Every part of a file is queued at once: the pool
        // bounds the parallelism, so partsInFlight (which bounds streamed uploads) does not apply here.
        this.writer = new S3MultipartWriter(
                uploads,
                Math.max(S3MultipartWriter.MIN_PART_SIZE, extraction.partSize().asLongValue()),
                concurrency);
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
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size),
                    RequestBody.fromFile(file));
        } else {
            writer.uploadFile(s3, bucket, key, contentType, file, size);
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

    @PreDestroy
    void close() {
        uploads.shutdownNow();
        s3.close();
    }
}
