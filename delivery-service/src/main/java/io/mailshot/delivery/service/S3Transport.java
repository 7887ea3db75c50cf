package io.mailshot.delivery.service;

import io.mailshot.delivery.config.DeliveryConfig;
import io.mailshot.events.DeliveredFile;
import io.mailshot.events.StagedFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Delivers to an S3 bucket by multipart upload streamed from staging in 8 MiB parts. The object only
 * becomes visible when the upload is completed, after the content was verified; a failed upload is aborted.
 */
@ApplicationScoped
public class S3Transport {

    private static final Logger LOG = Logger.getLogger(S3Transport.class);
    static final int PART_SIZE = 8 * 1024 * 1024;

    private final StagingStore staging;
    private final DeliveryConfig config;

    public S3Transport(StagingStore staging, DeliveryConfig config) {
        this.staging = staging;
        this.config = config;
    }

    public List<DeliveredFile> deliver(Routing routing, List<StagedFile> files) throws DeliveryException {
        Routing.S3Target target = routing.s3();
        List<DeliveredFile> delivered = new ArrayList<>();
        try (S3Client client = client(target)) {
            for (StagedFile file : files) {
                delivered.add(upload(client, target.bucket(), PathRules.join(routing.baseFolder(), file.name()), file));
            }
        } catch (S3Exception e) {
            throw classify(e, target.bucket());
        } catch (SdkClientException e) {
            throw DeliveryException.transientFailure("cannot reach S3 for bucket " + target.bucket() + ": "
                    + e.getMessage());
        }
        return delivered;
    }

    private DeliveredFile upload(S3Client client, String bucket, String key, StagedFile file) throws DeliveryException {
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType(key)))
                .uploadId();
        boolean completed = false;
        try (HashingInputStream in = staging.open(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            // One reused buffer: memory is one part, whatever the file size.
            byte[] buffer = new byte[PART_SIZE];
            int partNumber = 1;
            while (true) {
                int n = readFully(in, buffer);
                if (n == 0 && partNumber > 1) {
                    break;
                }
                final int length = n;
                final int number = partNumber;
                String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                partNumber++;
                if (n < PART_SIZE) {
                    break;
                }
            }
            StagingStore.verify(file, in);
            client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
            String sha256 = file.sha256();
            long size = client.headObject(b -> b.bucket(bucket).key(key)).contentLength();
            if (size != file.bytes()) {
                throw DeliveryException.transientFailure("s3://" + bucket + "/" + key + " has " + size
                        + " bytes after upload, expected " + file.bytes());
            }
            LOG.infof("uploaded %s to s3://%s/%s (%d bytes, %d parts)", file.name(), bucket, key, size, parts.size());
            return new DeliveredFile(file.name(), "s3://" + bucket + "/" + key, size, sha256);
        } catch (IOException e) {
            throw DeliveryException.transientFailure("streaming " + file.name() + " failed: " + e.getMessage());
        } finally {
            if (!completed) {
                abort(client, bucket, key, uploadId);
            }
        }
    }

    private static void abort(S3Client client, String bucket, String key, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            LOG.warnf("could not abort the multipart upload of s3://%s/%s: %s", bucket, key, e.getMessage());
        }
    }

    private S3Client client(Routing.S3Target target) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.s3Timeout())
                        .socketTimeout(config.s3Timeout())
                        .build())
                .region(Region.of(target.region() == null ? "us-east-1" : target.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(target.accessKeyId(), target.secretAccessKey())))
                .forcePathStyle(target.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (target.endpoint() != null) {
            builder.endpointOverride(URI.create(target.endpoint()));
        }
        return builder.build();
    }

    static DeliveryException classify(S3Exception e, String bucket) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
            return DeliveryException.permanent("bucket " + bucket + " does not exist");
        }
        if (status == 403 || "AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code)
                || "SignatureDoesNotMatch".equals(code)) {
            return DeliveryException.permanent("access to bucket " + bucket + " refused"
                    + (code == null ? "" : " (" + code + ")") + ": check the access key and its permissions");
        }
        if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
            return DeliveryException.transientFailure("S3 error " + status + (code == null ? "" : " " + code)
                    + " on bucket " + bucket);
        }
        return DeliveryException.permanent("S3 refused the upload to bucket " + bucket + ": HTTP " + status
                + (code == null ? "" : " " + code));
    }

    private static int readFully(InputStream in, byte[] buffer) throws IOException {
        int total = 0;
        while (total < buffer.length) {
            int n = in.read(buffer, total, buffer.length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static String contentType(String key) {
        return key.toLowerCase().endsWith(".csv") ? "text/csv" : "application/octet-stream";
    }
}
