package io.mailshot.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.KafkaServer;
import io.mailshot.infra.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mailshot images} against a real registry (Debian's {@code docker-registry}, the CNCF distribution
 * registry) on a free port: the four images are built and pushed by the same code as the command, then read back
 * with an independent client ({@code skopeo inspect}) as a platform team would before deploying them.
 */
class ImagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "https://git.example.com/mailshot/mailshot";
    private static final Map<String, Integer> PORTS = Map.of(
            "campaign-service", 8081, "audience-service", 8082, "extraction-service", 8083, "delivery-service", 8084);

    private static Path dir;
    private static Process registry;
    private static String address;
    private static List<String> pushed;

    @BeforeAll
    static void startRegistry() throws IOException {
        Tools.require("/usr/bin/docker-registry", "docker-registry");
        Tools.require("skopeo", "skopeo");
        // Short: podman refuses a run root longer than 50 characters.
        dir = Files.createTempDirectory("ms-images");
        address = "127.0.0.1:" + InfraPaths.freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "version: 0.1",
                        "log:",
                        "  level: warn",
                        "storage:",
                        "  filesystem:",
                        "    rootdirectory: " + dir.resolve("storage"),
                        "http:",
                        "  addr: " + address,
                        ""));
        registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create("http://" + address + "/v2/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        pushed = new Images(InfraPaths.root(), address, true, Optional.of(SOURCE)).build();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.destroy();
            if (!registry.waitFor(30, TimeUnit.SECONDS)) {
                registry.destroyForcibly();
            }
        }
        if (dir != null) {
            BaseImage.Commands.run(List.of("rm", "-rf", dir.toString()), null, 5);
        }
    }

    @Test
    void theFourImagesArePushedAndReadBackWithTheirEntrypointUserPortsAndLabels() throws Exception {
        Path root = InfraPaths.root();
        String version = Images.projectVersion(root);
        String head = git(root, "rev-parse", "HEAD");
        List<String> expected = new ArrayList<>();
        for (String service : Images.SERVICES) {
            expected.add(address + "/mailshot/" + service + ":" + version);
        }
        assertEquals(expected, pushed);

        JsonNode base = inspect(address + "/" + BaseImage.REPOSITORY + ":" + BaseImage.TAG, false);
        List<String> baseLayers = texts(base.path("Layers"));
        assertFalse(baseLayers.isEmpty(), "the base image has its layer");

        for (String service : Images.SERVICES) {
            String image = address + "/mailshot/" + service + ":" + version;
            JsonNode manifest = inspect(image, false);
            JsonNode config = inspect(image, true).path("config");
            JsonNode labels = manifest.path("Labels");
            assertAll(
                    service,
                    () -> assertEquals(
                            baseLayers,
                            texts(manifest.path("Layers")).subList(0, baseLayers.size()),
                            "built on the project's base image"),
                    () -> assertEquals(
                            List.of(
                                    "java",
                                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                                    "-jar",
                                    "quarkus-run.jar"),
                            texts(config.path("Entrypoint"))),
                    () -> assertTrue(
                            config.path("Cmd").isMissingNode()
                                    || config.path("Cmd").isNull()
                                    || config.path("Cmd").isEmpty(),
                            "no command after the entrypoint: " + config.path("Cmd")),
                    () -> assertEquals("/work", config.path("WorkingDir").asText()),
                    () -> assertEquals(BaseImage.USER, config.path("User").asText(), "non-root, numeric"),
                    () -> assertEquals(List.of(PORTS.get(service) + "/tcp"), fieldNames(config.path("ExposedPorts"))),
                    () -> assertTrue(
                            texts(config.path("Env"))
                                    .contains("JDK_JAVA_OPTIONS=-Xmx512m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC"),
                            "the JVM flags: " + config.path("Env")),
                    () -> assertEquals(
                            version,
                            labels.path("org.opencontainers.image.version").asText()),
                    () -> assertTrue(
                            List.of(head, head + "-dirty")
                                    .contains(labels.path("org.opencontainers.image.revision")
                                            .asText()),
                            "the revision of " + head + ": " + labels),
                    () -> assertEquals(
                            SOURCE,
                            labels.path("org.opencontainers.image.source").asText()),
                    () -> assertEquals(
                            service,
                            labels.path("org.opencontainers.image.title").asText()),
                    () -> assertEquals(
                            address + "/" + BaseImage.REPOSITORY + ":" + BaseImage.TAG,
                            labels.path("org.opencontainers.image.base.name").asText()),
                    () -> assertEquals("linux", manifest.path("Os").asText()));
        }
    }

    /**
     * A container engine from Debian runs the audience-service's image as pushed, on a real PostgreSQL and Kafka,
     * and the service answers its health checks. Podman runs it with runc: its default runtime here, crun 1.8, stops
     * at "cgroups in hybrid mode not supported" on these machines (cgroup v1 controllers with hugetlb on the v2
     * hierarchy). The limits are the host's own: podman's defaults would raise them, and root here lacks
     * CAP_SYS_RESOURCE ("setrlimit RLIMIT_NOFILE: Operation not permitted").
     */
    @Test
    void podmanRunsTheAudienceServiceImageAndItIsLiveAndReady() throws Exception {
        Tools.require("podman", "podman");
        Tools.require("runc", "runc");
        Path infra = dir.resolve("infra");
        List<String> podman = List.of(
                "podman",
                "--root",
                dir.resolve("p/root").toString(),
                "--runroot",
                dir.resolve("p/run").toString(),
                // Copies layers instead of mounting overlays: nothing stays mounted under the test's folder.
                "--storage-driver",
                "vfs",
                "--runtime",
                "runc");
        String container = "mailshot-images-it-" + ProcessHandle.current().pid();
        int port = InfraPaths.freePort();
        try (PostgresServer postgres = PostgresServer.start(infra.resolve("postgres"), InfraPaths.freePort());
                KafkaServer kafka = KafkaServer.start(infra.resolve("kafka"), InfraPaths.freePort())) {
            postgres.createDatabase("audience");
            List<String> run = new ArrayList<>(podman);
            run.addAll(List.of(
                    "run",
                    "--detach",
                    "--name",
                    container,
                    "--tls-verify=false",
                    "--network=host",
                    "--ulimit",
                    "nofile=" + hardLimit("Max open files") + ":" + hardLimit("Max open files"),
                    // conmon lowers its own process limit to 32768 before it starts the runtime.
                    "--ulimit",
                    "nproc=" + Math.min(32768, hardLimit("Max processes")) + ":"
                            + Math.min(32768, hardLimit("Max processes")),
                    "--env",
                    "QUARKUS_HTTP_PORT=" + port,
                    "--env",
                    "MAILSHOT_DB_URL=" + postgres.jdbcUrl("audience"),
                    "--env",
                    "MAILSHOT_DB_USER=" + PostgresServer.USER,
                    "--env",
                    "MAILSHOT_DB_PASSWORD=" + PostgresServer.PASSWORD,
                    "--env",
                    "MAILSHOT_KAFKA=" + kafka.bootstrapServers(),
                    // Required: the salt of erased identities' hashes (a throwaway one for this container).
                    "--env",
                    "MAILSHOT_ERASURE_SALT=images-it-" + UUID.randomUUID(),
                    // No identity provider: health endpoints need no token, and nothing else is called.
                    "--env",
                    "MAILSHOT_OIDC_ISSUER=http://127.0.0.1:" + InfraPaths.freePort() + "/realms/mailshot",
                    address + "/mailshot/audience-service:" + Images.projectVersion(InfraPaths.root())));
            BaseImage.Commands.run(run, null, 10);
            try {
                HttpClient http = HttpClient.newHttpClient();
                for (String check : List.of("live", "ready")) {
                    await().atMost(Duration.ofMinutes(3))
                            .pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptions()
                            .until(() -> http.send(
                                                    HttpRequest.newBuilder(URI.create(
                                                                    "http://127.0.0.1:" + port + "/q/health/" + check))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .statusCode()
                                    == 200);
                    JsonNode health = JSON.readTree(http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + port + "/q/health/" + check))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                    assertEquals("UP", health.path("status").asText(), check + ": " + health);
                }
                // The image's JVM flags are in force: the serial collector's pools, and at most 512 MiB of heap.
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                List<String> heapMax = metrics.lines()
                        .filter(line -> line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\""))
                        .toList();
                assertTrue(
                        heapMax.stream().anyMatch(line -> line.contains("id=\"Tenured Gen\"")),
                        "serial collector: " + heapMax);
                double heap = heapMax.stream()
                        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                        .sum();
                assertTrue(heap > 0 && heap <= 512 * 1024 * 1024, "heap at most 512 MiB: " + heapMax);
                List<String> top = new ArrayList<>(podman);
                top.addAll(List.of("top", container, "user", "args"));
                String processes = BaseImage.Commands.output(top, null);
                assertTrue(
                        processes.contains("mailshot") && processes.contains("quarkus-run.jar"),
                        "the service runs as the image's user: " + processes);
            } finally {
                List<String> logs = new ArrayList<>(podman);
                logs.addAll(List.of("logs", container));
                Path log =
                        Files.createDirectories(Path.of("target", "images-it")).resolve("audience-service.log");
                new ProcessBuilder(logs)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start()
                        .waitFor(1, TimeUnit.MINUTES);
                List<String> remove = new ArrayList<>(podman);
                remove.addAll(List.of("rm", "--force", "--time", "10", container));
                BaseImage.Commands.run(remove, null, 2);
                List<String> images = new ArrayList<>(podman);
                images.addAll(List.of("image", "rm", "--all", "--force"));
                BaseImage.Commands.run(images, null, 2);
            }
        }
    }

    /** This process's hard limit named {@code name} in {@code /proc/self/limits}. */
    private static long hardLimit(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith(name)) {
                String[] fields = line.substring(name.length()).trim().split("\\s+");
                return fields[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fields[1]);
            }
        }
        throw new IllegalStateException("no " + name + " in /proc/self/limits");
    }

    /** {@code skopeo inspect}: the image's manifest and labels, or with {@code config} its configuration. */
    private static JsonNode inspect(String image, boolean config) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
        if (config) {
            command.add("--config");
        }
        command.add("docker://" + image);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "skopeo inspect finished");
        assertEquals(0, process.exitValue(), "skopeo inspect " + image);
        return JSON.readTree(out);
    }

    private static String git(Path root, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(root.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
