package io.mailshot.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole local infrastructure: Kafka, PostgreSQL, s3proxy, SFTP and Keycloak, each a real server in its own
 * process on a free port. Started in parallel; closing stops all of them (Keycloak only when it was started here:
 * tests share one per JVM, see {@link InfraTestResource}).
 */
public final class LocalInfra implements AutoCloseable {

    /** The internal bucket where extraction stages files and delivery reads them. */
    public static final String STAGING_BUCKET = "mailshot-staging";

    private final Path dir;
    private volatile KafkaServer kafka;
    private final PostgresServer postgres;
    private final S3Server s3;
    private final SftpServer sftp;
    private final KeycloakServer keycloak;
    private final boolean ownsKeycloak;

    private LocalInfra(
            Path dir,
            KafkaServer kafka,
            PostgresServer postgres,
            S3Server s3,
            SftpServer sftp,
            KeycloakServer keycloak,
            boolean ownsKeycloak) {
        this.dir = dir;
        this.kafka = kafka;
        this.postgres = postgres;
        this.s3 = s3;
        this.sftp = sftp;
        this.keycloak = keycloak;
        this.ownsKeycloak = ownsKeycloak;
    }

    /** Starts every server under {@code dir}, on free ports (see {@link #start(Path, int)}). */
    public static LocalInfra start(Path dir) {
        return start(dir, InfraPaths.freePort());
    }

    /**
     * Starts every server under {@code dir}, Keycloak on {@code keycloakPort} and the others on free ports. The demo
     * users sign in with {@code MAILSHOT_DEMO_PASSWORD} when it is set, else with a new random password; the
     * campaign-service's client secret is always new.
     */
    public static LocalInfra start(Path dir, int keycloakPort) {
        String demoPassword = System.getenv("MAILSHOT_DEMO_PASSWORD");
        return start(
                dir,
                InfraPaths.freePort(),
                InfraPaths.freePort(),
                InfraPaths.freePort(),
                InfraPaths.freePort(),
                keycloakPort,
                demoPassword == null || demoPassword.isBlank() ? KeycloakServer.randomSecret() : demoPassword,
                null);
    }

    /**
     * Starts every server but Keycloak, using {@code keycloak} (which outlives this infrastructure and may still be
     * starting: the others start meanwhile).
     */
    public static LocalInfra start(Path dir, CompletableFuture<KeycloakServer> keycloak) {
        return start(
                dir,
                InfraPaths.freePort(),
                InfraPaths.freePort(),
                InfraPaths.freePort(),
                InfraPaths.freePort(),
                0,
                null,
                keycloak);
    }

    /**
     * Starts every server under {@code dir}. Keycloak is started on {@code keycloakPort} with demo users signing in
     * with {@code demoPassword}, unless {@code existing} is given.
     */
    public static LocalInfra start(
            Path dir,
            int kafkaPort,
            int postgresPort,
            int s3Port,
            int sftpPort,
            int keycloakPort,
            String demoPassword,
            CompletableFuture<KeycloakServer> existing) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var kafka = CompletableFuture.supplyAsync(() -> KafkaServer.start(dir.resolve("kafka"), kafkaPort));
        var postgres = CompletableFuture.supplyAsync(() -> PostgresServer.start(dir.resolve("postgres"), postgresPort));
        var s3 = CompletableFuture.supplyAsync(() -> S3Server.start(dir.resolve("s3"), s3Port));
        var sftp = CompletableFuture.supplyAsync(() -> SftpServer.start(dir.resolve("sftp"), sftpPort));
        var keycloak = existing != null
                ? existing
                : CompletableFuture.supplyAsync(() -> KeycloakServer.start(
                        dir.resolve("keycloak"), keycloakPort, demoPassword, KeycloakServer.randomSecret()));
        try {
            CompletableFuture.allOf(kafka, postgres, s3, sftp, keycloak).join();
        } catch (CompletionException e) {
            // Stop whatever did start before reporting the failure.
            for (CompletableFuture<? extends AutoCloseable> f : List.of(kafka, postgres, s3, sftp, keycloak)) {
                if (f == existing) {
                    continue; // not ours to stop
                }
                if (!f.isCompletedExceptionally()) {
                    try {
                        f.join().close();
                    } catch (Exception ignored) {
                        // Best effort.
                    }
                }
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        LocalInfra infra = new LocalInfra(
                dir, kafka.join(), postgres.join(), s3.join(), sftp.join(), keycloak.join(), existing == null);
        infra.s3.createBucket(STAGING_BUCKET);
        return infra;
    }

    /**
     * The configuration a service needs to reach the infrastructure, as Quarkus config keys. The
     * service's own database is created first.
     */
    public Map<String, String> serviceConfig(String database) {
        postgres.createDatabase(database);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.username", PostgresServer.USER);
        config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("mailshot.staging.endpoint", s3.endpoint());
        config.put("mailshot.staging.region", S3Server.REGION);
        config.put("mailshot.staging.access-key-id", S3Server.ACCESS_KEY);
        config.put("mailshot.staging.secret-access-key", S3Server.SECRET_KEY);
        config.put("mailshot.staging.bucket", STAGING_BUCKET);
        config.put("quarkus.oidc.auth-server-url", keycloak.issuer());
        if ("campaign".equals(database)) {
            // The campaign-service calls the other services with a token of its own confidential client.
            config.put("quarkus.oidc-client.auth-server-url", keycloak.issuer());
            config.put("quarkus.oidc-client.client-id", KeycloakServer.CAMPAIGN_CLIENT);
            config.put("quarkus.oidc-client.credentials.secret", keycloak.campaignClientSecret());
        }
        return config;
    }

    public Path dir() {
        return dir;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    /** Kills the broker (SIGKILL) and starts it again on the same port with the same data. */
    public void killAndRestartKafka() {
        kafka = kafka.killAndRestart();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public S3Server s3() {
        return s3;
    }

    public SftpServer sftp() {
        return sftp;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    @Override
    public void close() {
        // Reverse order of dependency: nothing depends on SFTP or S3 at shutdown; Kafka last is not needed.
        sftp.close();
        s3.close();
        kafka.close();
        postgres.close();
        if (ownsKeycloak) {
            keycloak.close();
        }
    }
}
