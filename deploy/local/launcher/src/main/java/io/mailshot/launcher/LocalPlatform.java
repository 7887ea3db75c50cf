package io.mailshot.launcher;

import io.mailshot.events.Topics;
import io.mailshot.infra.AzuriteServer;
import io.mailshot.infra.DemoSignIn;
import io.mailshot.infra.ForkedServer;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.KeycloakServer;
import io.mailshot.infra.LocalInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole Mailshot platform on one machine: the real infrastructure (with Azurite, the Azure Blob emulator, when
 * asked), then the four services as separate processes from their packaged jars. Closing it stops everything it
 * started.
 */
public final class LocalPlatform implements AutoCloseable {

    /** Service ports: the documented defaults, or free ports for tests. */
    /**
     * The services' ports and the identity provider's: fixed for {@code ./mailshot up} (Swagger UI's sign-in client
     * knows those addresses), free ones for tests and the benchmark.
     */
    public record Ports(int campaign, int audience, int extraction, int delivery, int keycloak) {
        public static Ports defaults() {
            return new Ports(8081, 8082, 8083, 8084, 8180);
        }

        public static Ports free() {
            return new Ports(
                    InfraPaths.freePort(),
                    InfraPaths.freePort(),
                    InfraPaths.freePort(),
                    InfraPaths.freePort(),
                    InfraPaths.freePort());
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final LocalInfra infra;
    private final AzuriteServer azurite;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    private LocalPlatform(LocalInfra infra, AzuriteServer azurite) {
        this.infra = infra;
        this.azurite = azurite;
    }

    /** Starts everything under {@code dir}, one replica of each service, without Azurite. */
    public static LocalPlatform start(Path dir, Ports ports) {
        return start(dir, ports, 1, false);
    }

    /** The same with {@code audienceReplicas} audience-service processes, without Azurite. */
    public static LocalPlatform start(Path dir, Ports ports, int audienceReplicas) {
        return start(dir, ports, audienceReplicas, false);
    }

    /**
     * Starts everything under {@code dir}, with {@code audienceReplicas} audience-service processes. With more
     * than one, every run's resolution is split into two slices per replica, which the replicas share through
     * their consumer group; the REST port is the first replica's. With {@code azure}, Azurite starts beside the
     * other servers (installed from npm on first use, see {@link AzuriteServer}).
     */
    public static LocalPlatform start(Path dir, Ports ports, int audienceReplicas, boolean azure) {
        return start(dir, ports, audienceReplicas, azure, Map.of());
    }

    /**
     * The same, with {@code serviceConfig} given to every service process on top of its own (a test's OTLP receiver,
     * for example; {@code ./mailshot up} passes the environment on instead, such as {@code MAILSHOT_OTLP_ENDPOINT}).
     */
    public static LocalPlatform start(
            Path dir, Ports ports, int audienceReplicas, boolean azure, Map<String, String> serviceConfig) {
        // Node starts in two or three seconds, while Kafka and PostgreSQL take longer: in parallel it costs no time.
        CompletableFuture<AzuriteServer> emulator = azure
                ? CompletableFuture.supplyAsync(() -> AzuriteServer.start(dir.resolve("azurite")))
                : CompletableFuture.completedFuture(null);
        LocalInfra infra;
        AzuriteServer azurite;
        try {
            CompletableFuture<KeycloakServer> identity = sharedIdentityProvider();
            infra = identity != null
                    ? LocalInfra.start(dir.resolve("infra"), identity)
                    : LocalInfra.start(dir.resolve("infra"), ports.keycloak());
        } catch (RuntimeException e) {
            emulator.thenAccept(a -> {
                if (a != null) {
                    a.close();
                }
            });
            throw e;
        }
        try {
            azurite = emulator.join();
        } catch (CompletionException e) {
            infra.close();
            throw new IllegalStateException(
                    "the Azure Blob emulator (Azurite) did not start: "
                            + (e.getCause() == null ? e : e.getCause()).getMessage(),
                    e.getCause());
        }
        LocalPlatform platform = new LocalPlatform(infra, azurite);
        try {
            createTopics(infra.kafka().bootstrapServers());
            platform.startServices(dir, ports, audienceReplicas, serviceConfig);
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /**
     * Provisions every topic before a service subscribes, as a production cluster would. Left to the broker's
     * auto-creation, a topic appears on its first record, and its consumers only find it at their next metadata
     * refresh and rebalance: each hop of a platform's first run waited a second or more for that.
     */
    private static void createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // The broker's defaults for partitions and replicas (num.partitions, one replica on one broker).
            List<NewTopic> topics = Topics.ALL.stream()
                    .map(name -> new NewTopic(name, Optional.empty(), Optional.empty()))
                    .toList();
            for (Map.Entry<String, KafkaFuture<Void>> created :
                    admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // a platform folder started again
                        throw new IllegalStateException("could not create topic " + created.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topics in time", e);
        }
    }

    private void startServices(Path dir, Ports ports, int audienceReplicas, Map<String, String> serviceConfig) {
        Path logs = dir.resolve("logs");
        String audienceUrl = "http://127.0.0.1:" + ports.audience();
        String deliveryUrl = "http://127.0.0.1:" + ports.delivery();

        Map<String, String> campaign = new LinkedHashMap<>(infra.serviceConfig("campaign"));
        campaign.put("mailshot.peers.audience-url", audienceUrl);
        campaign.put("mailshot.peers.delivery-url", deliveryUrl);
        campaign.put("mailshot.peers.extraction-url", "http://127.0.0.1:" + ports.extraction());

        Map<String, String> audience = new LinkedHashMap<>(infra.serviceConfig("audience"));
        // The salt of erased identities' hashes, kept with the platform folder like the secrets key: a new salt
        // would let an erased identity be imported again.
        audience.put("mailshot.erasure.salt", randomSecret(dir, "erasure.salt"));
        if (audienceReplicas > 1) {
            audience.put("mailshot.audience.stream.slices", Integer.toString(2 * audienceReplicas));
        }

        Map<String, String> extraction = new LinkedHashMap<>(infra.serviceConfig("extraction"));
        extraction.put(
                "mailshot.extraction.spill-dir", dir.resolve("extraction-spill").toString());

        Map<String, String> delivery = new LinkedHashMap<>(infra.serviceConfig("delivery"));
        delivery.put("mailshot.secrets.key", secretsKey(dir));
        delivery.put("mailshot.secrets.key-id", "local");
        // The local SFTP server, s3proxy and Azurite listen on this machine: the egress policy refuses loopback
        // destinations unless allowed, as here, for the demo's routings.
        delivery.put("mailshot.egress.allow", "127.0.0.0/8,::1");

        for (Map<String, String> config : List.of(campaign, audience, extraction, delivery)) {
            // Every process shares this host: Kafka traffic never leaves the loopback, so compressing it (lz4,
            // the services' default for a real network) costs CPU the services need and saves nothing.
            // Measured at a million profiles: a fifth of the audience-service's CPU while streaming.
            config.put("mailshot.kafka.compression", "none");
            config.putAll(serviceConfig);
        }
        services.put("campaign-service", new ServiceProcess("campaign-service", ports.campaign(), campaign, logs));
        services.put("audience-service", new ServiceProcess("audience-service", ports.audience(), audience, logs));
        for (int replica = 2; replica <= audienceReplicas; replica++) {
            services.put(
                    "audience-service-" + replica,
                    new ServiceProcess(
                            "audience-service-" + replica, "audience-service", InfraPaths.freePort(), audience, logs));
        }
        services.put(
                "extraction-service", new ServiceProcess("extraction-service", ports.extraction(), extraction, logs));
        services.put("delivery-service", new ServiceProcess("delivery-service", ports.delivery(), delivery, logs));
        services.values().forEach(ServiceProcess::start);
        // Readiness in parallel: start-up, not waiting, is what takes time on two cores.
        CompletableFuture.allOf(services.values().stream()
                        .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(READY_TIMEOUT)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /**
     * The AES-256 key that encrypts routing secrets at rest, made once per platform folder. Production
     * takes it from a Kubernetes Secret instead.
     */
    private static String secretsKey(Path dir) {
        return randomSecret(dir, "secrets.key");
    }

    /** 32 random bytes (base64) kept in {@code dir/name}, readable by the owner only, made on first use. */
    private static String randomSecret(Path dir, String name) {
        Path file = dir.resolve(name);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(dir);
                Files.writeString(file, Base64.getEncoder().encodeToString(key));
                file.toFile().setReadable(false, false);
                file.toFile().setReadable(true, true);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<KeycloakServer> sharedKeycloak;

    /**
     * From now on, every platform this JVM starts uses one Keycloak (on a free port, stopped when the JVM ends)
     * instead of starting its own: the end-to-end tests start several platforms one after the other, and the
     * identity provider is the slowest server to start. Starts it in the background.
     */
    public static synchronized void shareIdentityProvider() {
        if (sharedKeycloak == null) {
            sharedKeycloak = CompletableFuture.supplyAsync(
                    () -> KeycloakServer.startForThisJvm(InfraPaths.root().resolve("deploy/local/launcher/target")));
        }
    }

    private static synchronized CompletableFuture<KeycloakServer> sharedIdentityProvider() {
        return sharedKeycloak;
    }

    /** Signs the realm's demo users in (password grant of the local-only CLI client). */
    public DemoSignIn signIn() {
        return infra.keycloak().signIn();
    }

    public LocalInfra infra() {
        return infra;
    }

    /** The Azure Blob emulator; fails when the platform was started without it. */
    public AzuriteServer azurite() {
        if (azurite == null) {
            throw new IllegalStateException("this platform was started without Azurite");
        }
        return azurite;
    }

    public boolean hasAzurite() {
        return azurite != null;
    }

    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return service;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    /** Peak RSS of every process, services and infrastructure, in KiB. */
    public Map<String, Long> peakRssKib() {
        Map<String, Long> peaks = new LinkedHashMap<>();
        services.values().forEach(s -> peaks.put(s.name(), s.peakRssKib()));
        List<ForkedServer> servers = new ArrayList<>(List.of(
                infra.kafka().process(),
                infra.postgres().process(),
                infra.s3().process(),
                infra.sftp().process()));
        if (azurite != null) {
            servers.add(azurite.process());
        }
        for (ForkedServer server : servers) {
            peaks.put(server.name(), server.peakRssKib());
        }
        return peaks;
    }

    /** Peak heap of every service in MiB, from its GC log. */
    public Map<String, Long> peakHeapMiB() {
        Map<String, Long> peaks = new LinkedHashMap<>();
        services.values().forEach(s -> peaks.put(s.name(), s.peakHeapMiB()));
        return peaks;
    }

    /** CPU seconds used so far by every process, services and infrastructure (with their children). */
    public Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        services.values().forEach(s -> cpu.merge(s.name(), s.cpuSeconds(), Double::sum));
        cpu.put("kafka", infra.kafka().process().cpuSeconds());
        cpu.put("postgres", infra.postgres().cpuSeconds());
        cpu.put("s3proxy", infra.s3().process().cpuSeconds());
        cpu.put("sftp", infra.sftp().process().cpuSeconds());
        if (azurite != null) {
            cpu.put("azurite", azurite.process().cpuSeconds());
        }
        return cpu;
    }

    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        Collections.reverse(reversed);
        for (ServiceProcess service : reversed) {
            try {
                service.close();
            } catch (RuntimeException e) {
                // Keep stopping the others.
            }
        }
        if (azurite != null) {
            azurite.close();
        }
        infra.close();
    }
}
