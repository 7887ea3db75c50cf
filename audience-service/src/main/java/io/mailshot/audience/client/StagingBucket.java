package io.mailshot.audience.client;

import io.mailshot.audience.config.StagingConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The internal staging bucket, read only: the placements the extraction-service staged for a run
 * ({@code StagingLayout.contactsKey}), streamed as they are stored, never held whole.
 */
@ApplicationScoped
public class StagingBucket {

    private final S3Client s3;
    private final String bucket;

    public StagingBucket(StagingConfig staging) {
        this.bucket = staging.bucket();
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

    public String bucket() {
        return bucket;
    }

    /** Whether the bucket answers; throws when it does not. */
    public void check() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    /**
     * The object at {@code key} as a stream (the caller closes it), or empty when there is none: never staged, or
     * already purged by the staging retention. Any other failure (the bucket does not answer) is thrown.
     */
    public Optional<InputStream> open(String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
