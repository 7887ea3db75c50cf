package io.mailshot.launcher;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.mailshot.infra.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a mail provider uses to read a delivery: an S3 client, an SFTP client and an Azure Blob client of its own,
 * independent of the delivery-service's code.
 */
public final class ProviderClients {

    private ProviderClients() {}

    public static S3Client s3(String endpoint) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(S3Server.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                // s3proxy rejects the SDK's default CRC checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /**
     * The objects under a prefix. Keys ending in '/' are skipped: s3proxy's filesystem backend lists its
     * folders as empty "directory" objects, which are not files anyone delivered.
     */
    public static List<S3Object> listS3(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().endsWith("/"))
                .toList();
    }

    public static byte[] readS3(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** An object's bytes and the {@code Content-Type} it was published with. */
    public static Download downloadS3(S3Client s3, String bucket, String key) {
        var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return new Download(object.asByteArray(), object.response().contentType());
    }

    /** What a download from an object store gives a provider: the bytes and what the store says they are. */
    public record Download(byte[] bytes, String contentType) {}

    /** An Azure Blob client on a connection string with the account key. */
    public static BlobServiceClient azure(String connectionString) {
        return new BlobServiceClientBuilder()
                .connectionString(connectionString)
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
    }

    /** The names of the (committed) blobs under a prefix. */
    public static List<String> listAzure(BlobServiceClient azure, String container, String prefix) {
        return azure
                .getBlobContainerClient(container)
                .listBlobs(new ListBlobsOptions().setPrefix(prefix), null)
                .stream()
                .map(BlobItem::getName)
                .toList();
    }

    /** A blob's bytes and the {@code Content-Type} it was published with. */
    public static Download readAzure(BlobServiceClient azure, String container, String name) {
        var blob = azure.getBlobContainerClient(container).getBlobClient(name);
        return new Download(
                blob.downloadContent().toBytes(), blob.getProperties().getContentType());
    }

    /**
     * A shared access signature that reads and lists one container until {@code expiry}: what a provider is
     * typically given instead of the account key, and what lets plain {@code curl} read the blobs.
     */
    public static String readSas(BlobServiceClient azure, String container, OffsetDateTime expiry) {
        BlobContainerClient client = azure.getBlobContainerClient(container);
        return client.generateSas(new BlobServiceSasSignatureValues(
                expiry, new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
    }

    /** An SFTP session that trusts only the pinned host key fingerprint. */
    public static final class Sftp implements AutoCloseable {
        private final SshClient client;
        private final ClientSession session;
        private final SftpClient sftp;

        public Sftp(String host, int port, String user, String password, String fingerprint) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier((ClientSession s, SocketAddress a, PublicKey key) ->
                    fingerprint.equals(KeyUtils.getFingerPrint(key)));
            client.start();
            try {
                session = client.connect(user, host, port)
                        .verify(Duration.ofSeconds(10))
                        .getSession();
                session.addPasswordIdentity(password);
                session.auth().verify(Duration.ofSeconds(10));
                sftp = SftpClientFactory.instance().createSftpClient(session);
            } catch (IOException e) {
                client.stop();
                throw new UncheckedIOException(e);
            }
        }

        public List<String> list(String folder) {
            List<String> names = new ArrayList<>();
            try {
                for (SftpClient.DirEntry entry : sftp.readDir(folder)) {
                    if (!entry.getFilename().equals(".") && !entry.getFilename().equals("..")) {
                        names.add(entry.getFilename());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return names;
        }

        public byte[] read(String path) {
            try (InputStream in = sftp.read(path);
                    ByteArrayOutputStream out = new ByteArrayOutputStream()) {
                in.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                sftp.close();
                session.close();
            } catch (IOException e) {
                // Closing anyway.
            } finally {
                client.stop();
            }
        }
    }
}
