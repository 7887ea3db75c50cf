package io.mailshot.launcher;

import io.mailshot.infra.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
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
 * What a mail provider uses to read a delivery: an S3 client and an SFTP client of its own, independent
 * of the delivery-service's code.
 */
public final class ProviderClients {

    private ProviderClients() {
    }

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
                .filter(o -> !o.key().endsWith("/")).toList();
    }

    public static byte[] readS3(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** An SFTP session that trusts only the pinned host key fingerprint. */
    public static final class Sftp implements AutoCloseable {
        private final SshClient client;
        private final ClientSession session;
        private final SftpClient sftp;

        public Sftp(String host, int port, String user, String password, String fingerprint) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier((ClientSession s, java.net.SocketAddress a, PublicKey key) ->
                    fingerprint.equals(KeyUtils.getFingerPrint(key)));
            client.start();
            try {
                session = client.connect(user, host, port).verify(Duration.ofSeconds(10)).getSession();
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
            try (InputStream in = sftp.read(path); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
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
