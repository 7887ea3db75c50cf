package io.mailshot.launcher;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.infra.AzuriteServer;
import io.mailshot.infra.DemoSignIn;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.LocalInfra;
import io.mailshot.infra.S3Server;
import io.mailshot.infra.SftpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The {@code ./mailshot up [--no-azure]} and {@code ./mailshot demo} commands. */
public final class Mailshot {

    static final String PROVIDER_BUCKET = "provider-inbox";
    static final String PROVIDER_CONTAINER = "provider-inbox";
    static final int DEMO_PROFILES = 5_000;

    private Mailshot() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "up" -> {
                boolean azure = true;
                for (String option : List.of(args).subList(1, args.length)) {
                    if (option.equals("--no-azure")) {
                        azure = false;
                    } else {
                        System.err.println("unknown option " + option + "; usage: mailshot up [--no-azure]");
                        System.exit(2);
                    }
                }
                up(azure);
            }
            case "demo" -> demo();
            case "watch" -> {
                if (args.length != 2) {
                    System.err.println("usage: mailshot watch RUN_ID");
                    System.exit(2);
                }
                watch(args[1]);
            }
            default -> {
                System.err.println("usage: mailshot up [--no-azure] | demo | watch RUN_ID | test");
                System.exit(2);
            }
        }
    }

    static Path home() {
        return InfraPaths.root().resolve(".mailshot");
    }

    static Path envFile() {
        return home().resolve("mailshot.env");
    }

    /**
     * Starts everything, loads demo data, prints how to reach it, and waits for Ctrl-C. With {@code azure}, Azurite
     * (the Azure Blob emulator) starts too: beside the other servers it adds no start-up time, but its first start
     * installs it from npm (and Debian's nodejs when node is missing, which needs root).
     */
    static void up(boolean azure) throws Exception {
        Path home = home();
        deleteRecursively(home);
        Files.createDirectories(home);
        System.out.println("Starting Kafka, PostgreSQL, S3 (s3proxy), SFTP" + (azure ? ", Azure Blob (Azurite)" : "")
                + " and the four services…");
        long started = System.nanoTime();
        LocalPlatform platform;
        try {
            platform = LocalPlatform.start(home, LocalPlatform.Ports.defaults(), 1, azure);
        } catch (IllegalStateException e) {
            if (azure && String.valueOf(e.getMessage()).contains("Azurite")) {
                System.err.println(e.getMessage());
                System.err.println("Start without Azure Blob: ./mailshot up --no-azure");
                System.exit(1);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Mailshot…");
            platform.close();
            envFile().toFile().delete();
            System.out.println("Stopped.");
            stopped.countDown();
        }));
        System.out.printf("Platform ready in %.1f s. Loading demo data…%n", (System.nanoTime() - started) / 1e9);
        Map<String, String> env = loadDemo(platform, home);
        writeEnv(env);
        printBanner(env);
        // Ctrl-C runs the shutdown hook above.
        stopped.await();
    }

    private static Map<String, String> loadDemo(LocalPlatform platform, Path home) {
        Workflow flow = new Workflow(platform);
        Path ndjson = home.resolve("demo-profiles.ndjson");
        SyntheticProfiles.writeNdjson(ndjson, 42, DEMO_PROFILES, "demo", p -> {});
        JsonNode ingested = flow.ingest(ndjson);
        String audience = flow.createAudience("Demo customers", "demo");
        String s3Routing = flow.createS3Routing("demo-provider-s3", PROVIDER_BUCKET, "outbound");
        String sftpRouting = flow.createSftpRouting("demo-provider-sftp", "inbox");
        String s3Config = flow.createConfiguration("demo-s3", s3Routing);
        String sftpConfig = flow.createConfiguration("demo-sftp", sftpRouting);
        String s3Campaign = flow.createCampaign("Demo mailing S3", audience, s3Config);
        String sftpCampaign = flow.createCampaign("Demo mailing SFTP", audience, sftpConfig);
        String azureCampaign = null;
        if (platform.hasAzurite()) {
            String azureRouting = flow.createAzureRouting("demo-provider-azure", PROVIDER_CONTAINER, "outbound", null);
            azureCampaign = flow.createCampaign(
                    "Demo mailing Azure", audience, flow.createConfiguration("demo-azure", azureRouting));
        }
        // Four eyes before anything runs: the marketer submits, the approver approves; ./mailshot demo activates.
        for (String campaign : Arrays.asList(s3Campaign, sftpCampaign, azureCampaign)) {
            if (campaign != null) {
                flow.approveIfNeeded(campaign);
            }
        }

        LocalInfra infra = platform.infra();
        Map<String, String> env = new LinkedHashMap<>();
        for (ServiceProcess service : platform.services()) {
            env.put("MAILSHOT_" + service.name().replace("-service", "").toUpperCase() + "_URL", service.url());
        }
        env.put("MAILSHOT_OIDC_ISSUER", infra.keycloak().issuer());
        env.put("MAILSHOT_OIDC_TOKEN_URL", infra.keycloak().tokenUrl());
        env.put("MAILSHOT_DEMO_PASSWORD", infra.keycloak().demoPassword());
        env.put("MAILSHOT_S3_ENDPOINT", infra.s3().endpoint());
        env.put("MAILSHOT_S3_BUCKET", PROVIDER_BUCKET);
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", S3Server.REGION);
        env.put("MAILSHOT_SFTP_HOST", infra.sftp().host());
        env.put("MAILSHOT_SFTP_PORT", String.valueOf(infra.sftp().port()));
        env.put("MAILSHOT_SFTP_USER", SftpServer.USER);
        env.put("MAILSHOT_SFTP_PASSWORD", SftpServer.PASSWORD);
        env.put("MAILSHOT_SFTP_HOST_KEY_FINGERPRINT", infra.sftp().hostKeyFingerprint());
        if (platform.hasAzurite()) {
            AzuriteServer azurite = platform.azurite();
            env.put("MAILSHOT_AZURE_BLOB_ENDPOINT", azurite.blobEndpoint());
            env.put("MAILSHOT_AZURE_ACCOUNT", AzuriteServer.ACCOUNT);
            env.put("MAILSHOT_AZURE_ACCOUNT_KEY", AzuriteServer.ACCOUNT_KEY);
            env.put("MAILSHOT_AZURE_CONTAINER", PROVIDER_CONTAINER);
            env.put("MAILSHOT_AZURE_CONNECTION_STRING", azurite.connectionString());
            // Read and list only, for a week: what a provider is typically handed, and what plain curl can use.
            BlobServiceClient client = ProviderClients.azure(azurite.connectionString());
            env.put(
                    "MAILSHOT_AZURE_SAS",
                    ProviderClients.readSas(
                            client, PROVIDER_CONTAINER, OffsetDateTime.now().plusDays(7)));
        }
        env.put("MAILSHOT_KAFKA_BOOTSTRAP", infra.kafka().bootstrapServers());
        env.put("MAILSHOT_POSTGRES_PORT", String.valueOf(infra.postgres().port()));
        env.put("MAILSHOT_DEMO_AUDIENCE", audience);
        env.put("MAILSHOT_DEMO_S3_CAMPAIGN", s3Campaign);
        env.put("MAILSHOT_DEMO_SFTP_CAMPAIGN", sftpCampaign);
        if (azureCampaign != null) {
            env.put("MAILSHOT_DEMO_AZURE_CAMPAIGN", azureCampaign);
        }
        env.put("MAILSHOT_DEMO_PROFILES_ACCEPTED", ingested.path("accepted").asText());
        env.put("MAILSHOT_LOGS", home.resolve("logs").toString());
        return env;
    }

    private static void writeEnv(Map<String, String> env) throws IOException {
        StringBuilder out = new StringBuilder("# Written by ./mailshot up; removed when it stops.\n");
        env.forEach((k, v) -> out.append(k).append("='").append(v).append("'\n"));
        Files.writeString(envFile(), out.toString(), StandardCharsets.UTF_8);
    }

    private static void printBanner(Map<String, String> env) {
        System.out.println();
        boolean azure = env.containsKey("MAILSHOT_AZURE_BLOB_ENDPOINT");
        System.out.println("Mailshot is up. Demo data: " + env.get("MAILSHOT_DEMO_PROFILES_ACCEPTED")
                + " profiles, an audience, "
                + (azure
                        ? "an S3, an SFTP and an Azure Blob routing, three" + " configurations, three campaigns."
                        : "an S3 and an SFTP routing, two configurations,"
                                + " two campaigns (Azure Blob is off: --no-azure)."));
        System.out.println();
        System.out.println(
                "  campaign-service    " + env.get("MAILSHOT_CAMPAIGN_URL") + "   (Swagger UI: /q/swagger-ui)");
        System.out.println("  audience-service    " + env.get("MAILSHOT_AUDIENCE_URL"));
        System.out.println("  extraction-service  " + env.get("MAILSHOT_EXTRACTION_URL"));
        System.out.println("  delivery-service    " + env.get("MAILSHOT_DELIVERY_URL"));
        System.out.println();
        System.out.println("  Sign in (Keycloak)  issuer " + env.get("MAILSHOT_OIDC_ISSUER") + "  demo users viewer,"
                + " marketer, approver, routing-admin, audience-manager, operator, admin");
        System.out.println("                      password in $MAILSHOT_DEMO_PASSWORD; a token for curl:");
        System.out.println("    TOKEN=$(curl -s -d grant_type=password -d client_id=" + DemoSignIn.CLI_CLIENT
                + " -d username=marketer --data-urlencode \"password=$MAILSHOT_DEMO_PASSWORD\" \"$MAILSHOT_OIDC_TOKEN_URL\""
                + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
        System.out.println(
                "    curl -H \"Authorization: Bearer $TOKEN\" " + env.get("MAILSHOT_CAMPAIGN_URL") + "/campaigns");
        System.out.println("  S3 (provider side)  endpoint " + env.get("MAILSHOT_S3_ENDPOINT") + "  bucket "
                + env.get("MAILSHOT_S3_BUCKET"));
        System.out.println("                      access key " + env.get("AWS_ACCESS_KEY_ID") + "  secret "
                + env.get("AWS_SECRET_ACCESS_KEY") + "  region " + env.get("AWS_DEFAULT_REGION"));
        System.out.println(
                "  SFTP (provider side) " + env.get("MAILSHOT_SFTP_USER") + "@" + env.get("MAILSHOT_SFTP_HOST")
                        + " port " + env.get("MAILSHOT_SFTP_PORT") + "  password " + env.get("MAILSHOT_SFTP_PASSWORD"));
        System.out.println("                      host key " + env.get("MAILSHOT_SFTP_HOST_KEY_FINGERPRINT"));
        if (azure) {
            System.out.println("  Azure Blob (provider side) endpoint " + env.get("MAILSHOT_AZURE_BLOB_ENDPOINT")
                    + "  container " + env.get("MAILSHOT_AZURE_CONTAINER"));
            System.out.println("                      account " + env.get("MAILSHOT_AZURE_ACCOUNT") + "  key "
                    + env.get("MAILSHOT_AZURE_ACCOUNT_KEY"));
            System.out.println(
                    "                      connection string " + env.get("MAILSHOT_AZURE_CONNECTION_STRING"));
            System.out.println("                      read-only SAS (for curl) in $MAILSHOT_AZURE_SAS");
        }
        System.out.println();
        System.out.println(
                "  Environment file:   " + envFile() + "   (source it: set -a; . " + envFile() + "; set +a)");
        System.out.println("  Logs:               " + env.get("MAILSHOT_LOGS"));
        System.out.println();
        System.out.println("Run ./mailshot demo in another terminal. Ctrl-C here stops everything.");
    }

    /** Activates both demo campaigns, follows their runs, and shows what landed where. */
    static void demo() throws Exception {
        Properties env = runningEnv();
        DemoClient client = new DemoClient(env);
        for (String key :
                List.of("MAILSHOT_DEMO_S3_CAMPAIGN", "MAILSHOT_DEMO_SFTP_CAMPAIGN", "MAILSHOT_DEMO_AZURE_CAMPAIGN")) {
            if (env.getProperty(key) != null) {
                client.runAndShow(env.getProperty(key));
            }
        }
    }

    /** The environment file of a running {@code ./mailshot up}; exits when there is none. */
    private static Properties runningEnv() throws IOException {
        if (!Files.exists(envFile())) {
            System.err.println("Mailshot is not running: start it with ./mailshot up");
            System.exit(1);
        }
        Properties env = new Properties();
        for (String line : Files.readAllLines(envFile())) {
            if (line.contains("=") && !line.startsWith("#")) {
                String key = line.substring(0, line.indexOf('='));
                env.setProperty(key, line.substring(line.indexOf('=') + 1).replaceAll("^'|'$", ""));
            }
        }
        return env;
    }

    /**
     * Follows one run of the running platform to its end: its progress from the run's server-sent events, then its
     * report; signed in as the demo's viewer. Exits 1 unless the run was delivered.
     */
    static void watch(String runId) throws Exception {
        Properties env = runningEnv();
        MailshotApi api = new MailshotApi(
                new DemoSignIn(env.getProperty("MAILSHOT_OIDC_TOKEN_URL"), env.getProperty("MAILSHOT_DEMO_PASSWORD")),
                "viewer");
        String campaignUrl = env.getProperty("MAILSHOT_CAMPAIGN_URL");
        MailshotApi.Reply run = api.get(campaignUrl + "/runs/" + runId);
        if (run.status() != 200) {
            System.err.println("run " + runId + ": HTTP " + run.status() + " " + run.body());
            System.exit(1);
        }
        JsonNode last = new RunWatcher(api, campaignUrl, System.out, RunWatcher.stdoutIsTerminal(), "")
                .watch(runId, Duration.ofHours(24));
        System.exit("DELIVERED".equals(last.path("status").asText()) ? 0 : 1);
    }

    /** The demo's view: REST for the run, provider clients for the file. */
    private record DemoClient(Properties env) {

        void runAndShow(String campaignId) {
            // The demo signs in like any other client: the marketer activates, as after approval in ./mailshot up.
            MailshotApi api = new MailshotApi(
                    new DemoSignIn(
                            env.getProperty("MAILSHOT_OIDC_TOKEN_URL"), env.getProperty("MAILSHOT_DEMO_PASSWORD")),
                    "marketer");
            String campaignUrl = env.getProperty("MAILSHOT_CAMPAIGN_URL");
            MailshotApi.Reply activated = api.postEmpty(campaignUrl + "/campaigns/" + campaignId + "/activate");
            if (activated.status() != 202) {
                System.err.println("activation refused: " + activated.body().toPrettyString());
                return;
            }
            String runId = activated.text("id");
            String name = api.get(campaignUrl + "/campaigns/" + campaignId).text("name");
            System.out.println("\n== " + name + ": run " + runId);
            // The same watcher as ./mailshot watch: progress bars from the run's event stream, then its report.
            JsonNode run = new RunWatcher(api, campaignUrl, System.out, RunWatcher.stdoutIsTerminal(), "  ")
                    .watch(runId, Duration.ofMinutes(10));
            if (!"DELIVERED".equals(run.path("status").asText())) {
                System.out.println("  run did not deliver: " + run.path("error").asText());
                return;
            }
            String location = run.path("delivery").path("location").asText();
            System.out.println("  file:     " + run.path("file").path("name").asText() + "  rows="
                    + run.path("file").path("rows").asText() + "  bytes="
                    + run.path("file").path("bytes").asText()
                    + "  sha256=" + run.path("file").path("sha256").asText());
            System.out.println("  landed:   " + location);
            String azureEndpoint = env.getProperty("MAILSHOT_AZURE_BLOB_ENDPOINT", "");
            byte[] bytes = location.startsWith("s3://")
                    ? readS3(location)
                    : !azureEndpoint.isEmpty() && location.startsWith(azureEndpoint + "/")
                            ? readAzure(location.substring(azureEndpoint.length() + 1))
                            : readSftp(location);
            System.out.println("  first lines:");
            new String(bytes, StandardCharsets.UTF_8).lines().limit(5).forEach(l -> System.out.println("    " + l));
        }

        private byte[] readS3(String location) {
            String path = location.substring("s3://".length());
            String bucket = path.substring(0, path.indexOf('/'));
            String key = path.substring(path.indexOf('/') + 1);
            try (S3Client s3 = ProviderClients.s3(env.getProperty("MAILSHOT_S3_ENDPOINT"))) {
                List<S3Object> objects = ProviderClients.listS3(s3, bucket, "");
                System.out.println("  bucket " + bucket + " now holds " + objects.size() + " object(s)");
                return ProviderClients.readS3(s3, bucket, key);
            }
        }

        /** {@code <container>/<blob name>} with the provider's Azure client. */
        private byte[] readAzure(String path) {
            String container = path.substring(0, path.indexOf('/'));
            BlobServiceClient azure = ProviderClients.azure(env.getProperty("MAILSHOT_AZURE_CONNECTION_STRING"));
            System.out.println("  container " + container + " now holds "
                    + ProviderClients.listAzure(azure, container, "").size() + " blob(s)");
            return ProviderClients.readAzure(azure, container, path.substring(path.indexOf('/') + 1))
                    .bytes();
        }

        private byte[] readSftp(String location) {
            String path = location.replaceFirst("^sftp://[^/]+", "");
            try (ProviderClients.Sftp sftp = new ProviderClients.Sftp(
                    env.getProperty("MAILSHOT_SFTP_HOST"),
                    Integer.parseInt(env.getProperty("MAILSHOT_SFTP_PORT")),
                    env.getProperty("MAILSHOT_SFTP_USER"),
                    env.getProperty("MAILSHOT_SFTP_PASSWORD"),
                    env.getProperty("MAILSHOT_SFTP_HOST_KEY_FINGERPRINT"))) {
                return sftp.read(path);
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
