package io.mailshot.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Azurite, Microsoft's Azure Storage emulator from npm, serving the Blob API on a free port with a data folder of
 * its own: a real Azure-Blob-compatible server for tests.
 *
 * <p>Installed on first use with {@code npm install} into {@code ~/.cache/mailshot/azurite/<version>} (override with
 * {@code -Dmailshot.azurite.cache}); when {@code node}/{@code npm} are missing, Debian's {@code nodejs npm} are
 * installed with apt-get (tests run as root; CI machines have only a JDK and Maven).
 *
 * <p>Lifetime: node does not watch its stdin, so it runs under {@link ForkedServer#launchWatched}'s wrapper,
 * which kills it when this JVM closes the pipe or dies in any way.
 */
public final class AzuriteServer implements AutoCloseable {

    /** Azurite 3.36+ needs node 21+; 3.35.0 runs on the node 18 of Debian bookworm as well. */
    public static final String VERSION = "3.35.0";
    /** The emulator's well-known development account (public, documented by Microsoft). */
    public static final String ACCOUNT = "devstoreaccount1";

    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final ForkedServer process;
    private final int port;
    private final Path data;

    private AzuriteServer(ForkedServer process, int port, Path data) {
        this.process = process;
        this.port = port;
        this.data = data;
    }

    /** Installs Azurite if needed and starts its Blob service under {@code dir} on {@code port}. */
    public static AzuriteServer start(Path dir, int port) {
        Path blobMain = install();
        Path data = dir.resolve("data").toAbsolutePath();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(
                "node",
                blobMain.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                String.valueOf(port),
                "--location",
                data.toString(),
                "--skipApiVersionCheck",
                "--loose",
                "--disableTelemetry",
                "--silent"));
        ForkedServer server = ForkedServer.launchWatched("azurite-" + port, command, dir.resolve("logs"), Map.of());
        try {
            server.awaitPort(port, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            new AzuriteServer(server, port, data).close();
            throw e;
        }
        return new AzuriteServer(server, port, data);
    }

    public static AzuriteServer start(Path dir) {
        return start(dir, InfraPaths.freePort());
    }

    /** The blob endpoint of the development account, path style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** A connection string for the development account. */
    public String connectionString() {
        return connectionString(ACCOUNT_KEY);
    }

    /** The same account with another key, e.g. a wrong one. */
    public String connectionString(String accountKey) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + accountKey + ";BlobEndpoint="
                + blobEndpoint() + ";";
    }

    public int port() {
        return port;
    }

    public Path data() {
        return data;
    }

    public ForkedServer process() {
        return process;
    }

    /** Stops the emulator: the wrapper kills node when its stdin closes; survivors are killed by PID. */
    @Override
    public void close() {
        process.closeTree();
    }

    /** The installed {@code azurite/dist/src/blob/main.js}, installing Azurite (and node) first when missing. */
    static synchronized Path install() {
        Path cache = Path.of(System.getProperty(
                        "mailshot.azurite.cache",
                        Path.of(System.getProperty("user.home"), ".cache", "mailshot", "azurite")
                                .toString()))
                .resolve(VERSION)
                .toAbsolutePath();
        Path blobMain = cache.resolve("node_modules/azurite/dist/src/blob/main.js");
        Path done = cache.resolve(".installed");
        try {
            Files.createDirectories(cache);
            // Several test JVMs may start at once: one installs, the others wait on the lock.
            try (FileChannel channel = FileChannel.open(
                            cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (Files.exists(done) && Files.isRegularFile(blobMain)) {
                    return blobMain;
                }
                if (!onPath("node") || !onPath("npm")) {
                    run(cache, Duration.ofMinutes(10), "apt-get", "update");
                    run(
                            cache,
                            Duration.ofMinutes(15),
                            "apt-get",
                            "install",
                            "-y",
                            "--no-install-recommends",
                            "nodejs",
                            "npm");
                }
                run(
                        cache,
                        Duration.ofMinutes(15),
                        "npm",
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--no-save",
                        "--prefix",
                        cache.toString(),
                        "azurite@" + VERSION);
                if (!Files.isRegularFile(blobMain)) {
                    throw new IllegalStateException(
                            "npm installed azurite@" + VERSION + " but " + blobMain + " is missing");
                }
                Files.writeString(done, VERSION + "\n");
                return blobMain;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install Azurite into " + cache, e);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path dir, Duration timeout, String... command) throws IOException {
        Path out = dir.resolve("install.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = builder.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeout + "; see " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            String tail = Files.readString(out, StandardCharsets.UTF_8);
            tail = tail.length() > 2000 ? tail.substring(tail.length() - 2000) : tail;
            throw new IOException(
                    String.join(" ", command) + " failed (" + p.exitValue() + "); see " + out + ":\n" + tail);
        }
    }
}
