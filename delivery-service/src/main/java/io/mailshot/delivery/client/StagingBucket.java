package io.mailshot.delivery.client;

import io.mailshot.delivery.config.StagingConfig;
import io.mailshot.delivery.service.crypto.HashingInputStream;
import io.mailshot.delivery.service.delivery.DeliveryException;
import io.mailshot.events.StagedFile;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reads staged files from the internal staging bucket as streams, and checks what was read. */
@ApplicationScoped
public class StagingBucket {

    private final StagingConfig config;
    private final S3Client s3;

    public StagingBucket(StagingConfig config) {
        this.config = config;
        this.s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(config.endpoint()))
                .forcePathStyle(true)
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The staged file's content as a stream that counts and hashes what is read. */
    public HashingInputStream open(StagedFile file) throws DeliveryException {
        if (!config.bucket().equals(file.bucket())) {
            throw DeliveryException.permanent(
                    "staged file " + file.name() + " is not in the staging bucket " + config.bucket());
        }
        try {
            InputStream in = s3.getObject(b -> b.bucket(file.bucket()).key(file.key()));
            return new HashingInputStream(in);
        } catch (S3Exception e) {
            throw refused(file, e);
        } catch (SdkClientException e) {
            throw DeliveryException.transientFailure("cannot read staging bucket: " + e.getMessage());
        }
    }

    /** The staged object's {@code Content-Type}, as the extraction-service declared it; null when it has none. */
    public String contentType(StagedFile file) throws DeliveryException {
        if (!config.bucket().equals(file.bucket())) {
            throw DeliveryException.permanent(
                    "staged file " + file.name() + " is not in the staging bucket " + config.bucket());
        }
        try {
            return s3.headObject(b -> b.bucket(file.bucket()).key(file.key())).contentType();
        } catch (S3Exception e) {
            throw refused(file, e);
        } catch (SdkClientException e) {
            throw DeliveryException.transientFailure("cannot read staging bucket: " + e.getMessage());
        }
    }

    private static DeliveryException refused(StagedFile file, S3Exception e) {
        if (e.statusCode() == 404) {
            return DeliveryException.permanent("staged file " + file.name() + " is missing from the staging bucket");
        }
        if (e.statusCode() >= 500) {
            return DeliveryException.transientFailure(
                    "staging bucket error " + e.statusCode() + " reading " + file.name());
        }
        return DeliveryException.permanent(
                "staging bucket refused reading " + file.name() + " (HTTP " + e.statusCode() + ")");
    }

    /** Fails when what was streamed is not exactly the file extraction staged; returns its SHA-256 (hex). */
    public static String verify(StagedFile file, HashingInputStream read) throws DeliveryException {
        if (read.count() != file.bytes()) {
            throw DeliveryException.transientFailure(
                    "staged file " + file.name() + " read " + read.count() + " bytes, expected " + file.bytes());
        }
        String actual = read.sha256();
        if (file.sha256() != null && !file.sha256().isBlank() && !sameDigest(file.sha256(), actual)) {
            throw DeliveryException.permanent("staged file " + file.name() + " does not match its sha256");
        }
        return actual;
    }

    private static boolean sameDigest(String expected, String actualHex) {
        if (expected.equalsIgnoreCase(actualHex)) {
            return true;
        }
        try {
            // Tolerate a base64-encoded digest.
            return HexFormat.of()
                    .formatHex(Base64.getDecoder().decode(expected))
                    .equals(actualHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True while the staged file is still retained in the staging bucket (re-sends need it). */
    public boolean exists(StagedFile file) {
        if (!config.bucket().equals(file.bucket())) {
            return false;
        }
        try {
            s3.headObject(b -> b.bucket(file.bucket()).key(file.key()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** For the readiness check. */
    public void ping() {
        s3.headBucket(b -> b.bucket(config.bucket()));
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
