package io.mailshot.launcher;

import io.mailshot.infra.ForkedServer;
import io.mailshot.infra.InfraPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Mailshot service running from its packaged {@code quarkus-run.jar} in its own JVM. */
public final class ServiceProcess implements AutoCloseable {

    /** The heap in use before a collection, in a unified GC log line. */
    private static final Pattern GC_HEAP = Pattern.compile(" (\\d+)M->\\d+M\\(");

    private final String name;
    private final int port;
    private final Path jar;
    private final Map<String, String> config;
    private final Path logDir;
    private ForkedServer process;
    private long peakRssKib = -1;

    ServiceProcess(String name, int port, Map<String, String> config, Path logDir) {
        this(name, name, port, config, logDir);
    }

    /** A replica: {@code name} tells it apart (logs, reports), {@code module} is the service it runs. */
    ServiceProcess(String name, String module, int port, Map<String, String> config, Path logDir) {
        this.name = name;
        this.port = port;
        this.config = config;
        this.logDir = logDir;
        this.jar = InfraPaths.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Starts the JVM; call {@link #awaitReady} to wait for its readiness check. */
    void start() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built (" + jar + "); run: mvn -DskipTests install");
        }
        List<String> command = new ArrayList<>();
        command.add(InfraPaths.javaExecutable());
        // Issue-level budget: no service heap above 512 MiB, whatever the audience size.
        command.add("-Xmx512m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        // Four services share two cores here. The serial collector is what the JVM itself picks for a machine
        // that small; it sizes the heap by what survives a collection, which a streaming service keeps flat,
        // where G1 grew the heap (and the RSS) over a long run to meet its pause goal. Measured at a million
        // profiles: the same CPU, 15% less RSS for the audience and extraction services.
        command.add("-XX:+UseSerialGC");
        // Every collection logs the heap in use before it: the peak heap, at no cost to the service (no
        // metrics scraping while it works). Appended per process lifetime, read by peakHeapMiB().
        command.add("-Xlog:gc:file=" + gcLog() + "::filecount=0");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dmailshot.parent-watch=true");
        // A stable name per replica: restarted after a kill, it takes its partitions and leases back at once.
        command.add("-Dmailshot.instance.id=" + name);
        if (Boolean.getBoolean("mailshot.jfr")) {
            // Profiling on demand (./mailshot bench --jfr): a flight recording per service, dumped at exit.
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + logDir.resolve(name + ".jfr"));
        }
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        process = ForkedServer.launch(name, command, logDir);
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + process.log());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + process.log());
    }

    /** SIGKILL: no shutdown hook, no flush, exactly what a crashed pod looks like. */
    public void kill() {
        recordPeak();
        process.kill();
    }

    public void restart(Duration timeout) {
        close();
        start();
        awaitReady(timeout);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return process.log();
    }

    /** The highest peak RSS seen across this service's process lifetimes, in KiB. */
    public long peakRssKib() {
        recordPeak();
        return peakRssKib;
    }

    private Path gcLog() {
        return logDir.resolve(name + "-gc.log");
    }

    /**
     * The most heap this service had in use, in MiB: the largest "before" figure of a collection in its GC
     * log ({@code GC(7) Pause Young (Normal) (G1 Evacuation Pause) 210M->38M(512M) 4.1ms}). -1 when unknown.
     */
    public long peakHeapMiB() {
        long peak = -1;
        try (var lines = Files.lines(gcLog())) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = GC_HEAP.matcher(line);
                while (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
        return peak;
    }

    /** CPU seconds of the current process lifetime; -1 when not running. */
    public double cpuSeconds() {
        return process == null ? -1 : process.cpuSeconds();
    }

    private void recordPeak() {
        if (process != null && process.isAlive()) {
            peakRssKib = Math.max(peakRssKib, process.peakRssKib());
        }
    }

    @Override
    public void close() {
        if (process != null) {
            recordPeak();
            process.close();
        }
    }
}
