package io.mailshot.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** s3proxy serving the S3 API over a local folder: a real S3-compatible server. */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "mailshot-local";
    public static final String SECRET_KEY = "mailshot-local-secret";
    public static final String REGION = "us-east-1";

    private final ForkedServer process;
    private final int port;
    private final Path storage;

    private S3Server(ForkedServer process, int port, Path storage) {
        this.process = process;
        this.port = port;
        this.storage = storage;
    }

    public static S3Server start(Path dir, int port) {
        Path storage = dir.resolve("buckets").toAbsolutePath();
        Path properties = dir.resolve("s3proxy.properties");
        try {
            Files.createDirectories(storage);
            Files.writeString(
                    properties,
                    String.join(
                                    "\n",
                                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                                    "s3proxy.authorization=aws-v2-or-v4",
                                    "s3proxy.identity=" + ACCESS_KEY,
                                    "s3proxy.credential=" + SECRET_KEY,
                                    "jclouds.provider=filesystem",
                                    "jclouds.filesystem.basedir=" + storage,
                                    "jclouds.region=" + REGION,
                                    "")
                            + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ForkedServer server = ForkedServer.start(
                "s3proxy",
                "s3",
                dir.resolve("logs"),
                List.of("-Xmx256m", "-Dorg.eclipse.jetty.LEVEL=WARN"),
                "org.gaul.s3proxy.Main",
                List.of("--properties", properties.toString()));
        server.awaitPort(port, Duration.ofSeconds(60));
        return new S3Server(server, port, storage);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Creates a bucket: with the filesystem backend a bucket is a top-level folder. */
    public void createBucket(String bucket) {
        try {
            Files.createDirectories(storage.resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder that holds a bucket's objects (one file per object, keys' slashes as folders). */
    public Path bucketFolder(String bucket) {
        return storage.resolve(bucket);
    }

    public ForkedServer process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
