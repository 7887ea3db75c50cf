package io.mailshot.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak, the OpenID Connect provider of the local platform: the distribution unpacked by
 * {@code deploy/local/runtime/keycloak}, built once for a file database and a local cache, run on a Java 21+ runtime
 * ({@link InfraPaths#javaHome}) with the realm of {@code deploy/local/keycloak/mailshot-realm.json} imported at start.
 * Each server gets its own hard-linked copy of the built distribution, so its database and logs are its own.
 *
 * <p>Nothing secret is in the realm file: the demo users' password, the campaign-service's client secret and the
 * bootstrap administrator's password are made here and handed to the import as environment variables.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String VERSION = "26.7.3";
    public static final String REALM = "mailshot";
    /** The audience every Mailshot token carries and every service requires. */
    public static final String AUDIENCE = "mailshot-api";
    /** The public client for scripts and tests (password grant, local platform only). */
    public static final String CLI_CLIENT = DemoSignIn.CLI_CLIENT;
    /** The confidential client the campaign-service calls the other services with. */
    public static final String CAMPAIGN_CLIENT = "mailshot-campaign-service";
    /** The demo users, one per role, and {@code admin} with every role. */
    public static final List<String> DEMO_USERS =
            List.of("viewer", "marketer", "approver", "routing-admin", "audience-manager", "operator", "admin");

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final String BUILD_OPTIONS = "--db=dev-file --cache=local --health-enabled=false";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ForkedServer process;
    private final int port;
    private final String demoPassword;
    private final String campaignClientSecret;
    private final String adminPassword;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DemoSignIn signIn;

    private KeycloakServer(
            ForkedServer process, int port, String demoPassword, String campaignClientSecret, String adminPassword) {
        this.process = process;
        this.port = port;
        this.demoPassword = demoPassword;
        this.campaignClientSecret = campaignClientSecret;
        this.adminPassword = adminPassword;
        this.signIn = new DemoSignIn(tokenUrl(), demoPassword);
    }

    /**
     * Starts a server under {@code dir} on {@code port}, the demo users signing in with {@code demoPassword} and the
     * campaign-service with {@code campaignClientSecret}; waits until the realm answers.
     */
    public static KeycloakServer start(Path dir, int port, String demoPassword, String campaignClientSecret) {
        Path javaHome = InfraPaths.javaHome(21, "Keycloak " + VERSION);
        Path instance = dir.resolve("keycloak").toAbsolutePath();
        copyBuiltDistribution(javaHome, instance);
        Path imports = instance.resolve("data/import");
        try {
            Files.createDirectories(imports);
            Files.copy(realmFile(), imports.resolve("mailshot-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String adminPassword = randomSecret();
        Map<String, String> env = new LinkedHashMap<>(environment(javaHome, distribution()));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("MAILSHOT_DEMO_PASSWORD", demoPassword);
        env.put("MAILSHOT_CAMPAIGN_CLIENT_SECRET", campaignClientSecret);
        List<String> command = List.of(
                instance.resolve("bin/kc.sh").toString(),
                "start",
                "--optimized",
                "--http-enabled=true",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + InfraPaths.freePort(),
                // The issuer in every token, whatever address a request used.
                "--hostname=http://127.0.0.1:" + port,
                "--import-realm",
                "--log-level=WARN,org.keycloak.services:INFO");
        ForkedServer server = ForkedServer.launchWatched("keycloak-" + port, command, dir.resolve("logs"), env);
        KeycloakServer keycloak = new KeycloakServer(server, port, demoPassword, campaignClientSecret, adminPassword);
        try {
            keycloak.awaitRealm();
        } catch (RuntimeException e) {
            keycloak.close();
            throw e;
        }
        return keycloak;
    }

    /**
     * A server for the rest of this JVM's life, under a new folder in {@code parent}, on a free port with new secrets:
     * stopped when the JVM ends. For tests, which share one identity provider among every platform or application
     * they start.
     */
    public static KeycloakServer startForThisJvm(Path parent) {
        try {
            Files.createDirectories(parent);
            KeycloakServer keycloak = start(
                    Files.createTempDirectory(parent, "keycloak-"),
                    InfraPaths.freePort(),
                    randomSecret(),
                    randomSecret());
            Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "keycloak-stop"));
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realm imported at every start: a file of the repository. */
    public static Path realmFile() {
        return InfraPaths.root().resolve("deploy/local/keycloak/mailshot-realm.json");
    }

    /** A random secret for a password or a client: 24 bytes, base64url. */
    public static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The issuer of the realm's tokens, what services set as {@code quarkus.oidc.auth-server-url}. */
    public String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    public String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public int port() {
        return port;
    }

    public String demoPassword() {
        return demoPassword;
    }

    public String campaignClientSecret() {
        return campaignClientSecret;
    }

    /** The bootstrap administrator's password (master realm), for tests that change the realm. */
    public String adminPassword() {
        return adminPassword;
    }

    public ForkedServer process() {
        return process;
    }

    /** An access token of a demo user (password grant of {@code mailshot-cli}), reused until shortly before expiry. */
    public String token(String username) {
        return signIn.token(username);
    }

    /** The demo users' sign-in. */
    public DemoSignIn signIn() {
        return signIn;
    }

    /** Sends a token request to the realm's token endpoint and returns its JSON answer; fails on anything but 200. */
    public JsonNode tokenRequest(Map<String, String> form) {
        return signIn.post(tokenUrl(), form);
    }

    /** An access token of the master realm's bootstrap administrator, for the admin REST API. */
    public String adminToken() {
        return signIn.post(
                        "http://127.0.0.1:" + port + "/realms/master/protocol/openid-connect/token",
                        Map.of(
                                "grant_type",
                                "password",
                                "client_id",
                                "admin-cli",
                                "username",
                                "admin",
                                "password",
                                adminPassword))
                .path("access_token")
                .asText();
    }

    private void awaitRealm() {
        process.await("the realm's discovery document", READY_TIMEOUT, this::realmAnswers);
    }

    private boolean realmAnswers() {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        try {
            return http.send(
                                    HttpRequest.newBuilder(discovery)
                                            .timeout(Duration.ofSeconds(5))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Builds the unpacked distribution once for the local platform's options (a first start would otherwise rebuild
     * it, which takes 20 s), then links a copy of it for this server: hard links cost no space and no time, and
     * the server only writes new files (its data folder).
     */
    private static void copyBuiltDistribution(Path javaHome, Path instance) {
        Path dist = distribution();
        if (!Files.isExecutable(dist.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak " + VERSION + " is not unpacked (" + dist + "); run: mvn -f "
                    + InfraPaths.root().resolve("deploy/local/runtime/pom.xml") + " package");
        }
        Path marker = dist.resolve(".mailshot-built");
        try (FileChannel channel = FileChannel.open(
                        dist.resolve(".mailshot-build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (!Files.exists(marker) || !Files.readString(marker).equals(BUILD_OPTIONS)) {
                List<String> build =
                        new ArrayList<>(List.of(dist.resolve("bin/kc.sh").toString(), "build"));
                build.addAll(List.of(BUILD_OPTIONS.split(" ")));
                run(
                        build,
                        Map.of("JAVA_HOME", javaHome.toString()),
                        dist.getParent().resolve("build.log"),
                        Duration.ofMinutes(5));
                Files.writeString(marker, BUILD_OPTIONS);
            }
            if (Files.exists(instance)) {
                run(
                        List.of("rm", "-rf", instance.toString()),
                        Map.of(),
                        instance.resolveSibling("rm.log"),
                        Duration.ofMinutes(1));
            }
            Files.createDirectories(instance.getParent());
            run(
                    List.of("cp", "-al", dist.toString(), instance.toString()),
                    Map.of(),
                    instance.resolveSibling("copy.log"),
                    Duration.ofMinutes(1));
            // The copy must not share the built distribution's own data (a run of kc.sh build leaves some there).
            run(
                    List.of("rm", "-rf", instance.resolve("data").toString()),
                    Map.of(),
                    instance.resolveSibling("rm.log"),
                    Duration.ofMinutes(1));
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare Keycloak under " + instance, e);
        }
    }

    private static Path distribution() {
        return InfraPaths.root().resolve("deploy/local/runtime/keycloak/target/keycloak/keycloak-" + VERSION);
    }

    /**
     * What kc.sh needs to run on the chosen JDK, with a small heap; the class-data archive the first start writes
     * beside the distribution makes every later start load its classes faster.
     */
    private static Map<String, String> environment(Path javaHome, Path dist) {
        return Map.of(
                "JAVA_HOME",
                javaHome.toString(),
                "JAVA_OPTS_KC_HEAP",
                "-Xms64m -Xmx384m",
                "JAVA_OPTS_APPEND",
                "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + dist.resolve("kc.jsa"));
    }

    private static void run(List<String> command, Map<String, String> env, Path log, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeout + "; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "); see " + log);
        }
    }

    /**
     * A server another part of this JVM started and owns (see {@link #coordinates}): usable, never stopped from here.
     */
    public static KeycloakServer attach(String coordinates) {
        String[] parts = coordinates.split("\\|", -1);
        return new KeycloakServer(null, Integer.parseInt(parts[0]), parts[1], parts[2], parts[3]);
    }

    /** What {@link #attach} needs to use this server from code that cannot share the object (another class loader). */
    public String coordinates() {
        return port + "|" + demoPassword + "|" + campaignClientSecret + "|" + adminPassword;
    }

    /**
     * Stops the server (the watcher stops kc.sh, which stops its JVM), then anything of it still alive; a server
     * {@linkplain #attach attached} to is left to its owner.
     */
    @Override
    public void close() {
        if (process != null) {
            process.closeTree();
        }
    }
}
