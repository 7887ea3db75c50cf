package io.mailshot.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the real local infrastructure for a service's {@code @QuarkusTest}s and points the service at it.
 *
 * <p>Init arg {@code database}: the service's database name. Besides the service's own keys, the
 * returned config carries {@code mailshot.test.*} keys so tests can reach the servers with
 * independent clients.
 *
 * <p>Keycloak is started once per test JVM and outlives the other servers, which are restarted when a test
 * profile restarts the application: one identity provider per test module. Every RestAssured request of the
 * tests carries a token of the demo user {@code admin} (every role) unless it sets its own {@code Authorization}
 * header: tests of who may do what sign in as the user they need ({@link #token}).
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    /** The user whose token a test request carries when it names none. */
    public static final String DEFAULT_USER = "admin";

    private static LocalInfra shared;
    private static CompletableFuture<KeycloakServer> keycloak;
    /** The system property that holds the test JVM's Keycloak, once started. */
    private static final String RUNNING = "mailshot.test.keycloak";

    private String database = "mailshot";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public synchronized Map<String, String> start() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "infra-");
                shared = LocalInfra.start(dir, keycloakStarting());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> config = new LinkedHashMap<>(shared.serviceConfig(database));
        config.put("mailshot.test.s3.endpoint", shared.s3().endpoint());
        config.put("mailshot.test.sftp.host", shared.sftp().host());
        config.put("mailshot.test.sftp.port", String.valueOf(shared.sftp().port()));
        config.put("mailshot.test.sftp.user", SftpServer.USER);
        config.put("mailshot.test.sftp.password", SftpServer.PASSWORD);
        config.put("mailshot.test.sftp.fingerprint", shared.sftp().hostKeyFingerprint());
        config.put("mailshot.test.sftp.root", shared.sftp().root().toString());
        return config;
    }

    /** The running infrastructure, for tests that need to reach a server directly. */
    public static synchronized LocalInfra infra() {
        return shared;
    }

    /**
     * The test JVM's Keycloak, started on first use (with a new demo password) and stopped when the JVM ends; every
     * RestAssured request then signs in as {@link #DEFAULT_USER} unless it carries its own Authorization header.
     */
    public static KeycloakServer keycloak() {
        return keycloakStarting().join();
    }

    /**
     * The test JVM's Keycloak, starting in the background on first call, so the other servers start meanwhile (it
     * takes the longest). A start that failed fails every later call the same way.
     */
    private static synchronized CompletableFuture<KeycloakServer> keycloakStarting() {
        if (keycloak == null) {
            // Quarkus loads this class again for each application it starts in the JVM (a test profile, other test
            // resources), and its statics with it: the server is found again through a system property instead,
            // so that one Keycloak serves the whole test JVM.
            String running = System.getProperty(RUNNING);
            keycloak = running != null
                    ? CompletableFuture.completedFuture(KeycloakServer.attach(running))
                    : CompletableFuture.supplyAsync(InfraTestResource::startKeycloak);
            Filter signIn = (request, response, context) -> {
                if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                    request.header("Authorization", "Bearer " + keycloak().token(DEFAULT_USER));
                }
                return context.next(request, response);
            };
            RestAssured.filters(signIn);
        }
        return keycloak;
    }

    private static KeycloakServer startKeycloak() {
        KeycloakServer started =
                KeycloakServer.startForThisJvm(Path.of("target").toAbsolutePath());
        System.setProperty(RUNNING, started.coordinates());
        return started;
    }

    /** An access token of a demo user of the test JVM's Keycloak (see {@link KeycloakServer#DEMO_USERS}). */
    public static String token(String user) {
        return keycloak().token(user);
    }

    /** The subject ({@code sub}) of a demo user's tokens: what Mailshot records as who did something. */
    public static String subject(String user) {
        return DemoSignIn.claims(token(user)).path("sub").asText();
    }

    /** The header of a request signed in as {@code user}. */
    public static String bearer(String user) {
        return "Bearer " + token(user);
    }

    @Override
    public synchronized void stop() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}
