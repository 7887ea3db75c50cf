package io.mailshot.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.infra.AzuriteServer;
import io.mailshot.infra.LocalInfra;
import io.mailshot.infra.S3Server;
import io.mailshot.infra.SftpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The steps of the people who use Mailshot, through the REST APIs, each signed in as the demo user whose role it
 * needs (audience manager, routing admin, marketer, approver): shared by the demo, the benchmark and the end-to-end
 * test. A campaign that needs approval is submitted by the marketer and approved by the approver: four eyes.
 */
public final class Workflow {

    /** The columns of the demo and test files: a full postal address and a few profile attributes. */
    public static final List<Map<String, String>> COLUMNS = List.of(
            column("Customer ID", "identity.id"),
            column("Title", "person.name.title"),
            column("First name", "person.name.firstName"),
            column("Last name", "person.name.lastName"),
            column("Address 1", "homeAddress.street1"),
            column("Address 2", "homeAddress.street2"),
            column("Address 3", "homeAddress.street3"),
            column("Address 4", "homeAddress.street4"),
            column("Postal code", "homeAddress.postalCode"),
            column("City", "homeAddress.city"),
            column("Country", "homeAddress.countryCode"),
            column("Loyalty tier", "attributes.loyalty.tier"));

    private final MailshotApi api;
    private final MailshotApi audienceManager;
    private final MailshotApi routingAdmin;
    private final MailshotApi marketer;
    private final MailshotApi approver;
    private final LocalPlatform platform;

    public Workflow(LocalPlatform platform) {
        this.platform = platform;
        this.api = new MailshotApi(platform.signIn(), "admin");
        this.audienceManager = api.as("audience-manager");
        this.routingAdmin = api.as("routing-admin");
        this.marketer = api.as("marketer");
        this.approver = api.as("approver");
    }

    /** A client signed in as {@code admin}, who holds every role. */
    public MailshotApi api() {
        return api;
    }

    public String url(String service) {
        return platform.service(service).url();
    }

    private static Map<String, String> column(String label, String path) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("label", label);
        c.put("path", path);
        return c;
    }

    public JsonNode ingest(Path ndjson) {
        return audienceManager
                .postNdjson(url("audience-service") + "/profiles/bulk", ndjson)
                .expect(200)
                .body();
    }

    /** An audience of the profiles whose {@code attributes.batch} equals {@code batch}. */
    public String createAudience(String name, String batch) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("filter", List.of(Map.of("path", "attributes.batch", "op", "eq", "value", batch)));
        return audienceManager
                .post(url("audience-service") + "/audiences", body)
                .expect(201)
                .text("id");
    }

    /** An ACTIVE S3 routing to {@code bucket} on the local S3 server. */
    public String createS3Routing(String name, String bucket, String baseFolder) {
        return createS3Routing(name, bucket, baseFolder, null);
    }

    /** The same, encrypting every file to {@code pgpPublicKey} (ASCII-armoured) when it is not null. */
    public String createS3Routing(String name, String bucket, String baseFolder, String pgpPublicKey) {
        LocalInfra infra = platform.infra();
        infra.s3().createBucket(bucket);
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("bucket", bucket);
        s3.put("region", S3Server.REGION);
        s3.put("endpoint", infra.s3().endpoint());
        s3.put("pathStyle", true);
        s3.put("accessKeyId", S3Server.ACCESS_KEY);
        s3.put("secretAccessKey", S3Server.SECRET_KEY);
        return createRouting(name, "S3", baseFolder, pgpPublicKey, "s3", s3);
    }

    /** An ACTIVE SFTP routing to the local SFTP server, with its host key pinned. */
    public String createSftpRouting(String name, String baseFolder) {
        return createSftpRouting(name, baseFolder, null);
    }

    /** The same, encrypting every file to {@code pgpPublicKey} when it is not null. */
    public String createSftpRouting(String name, String baseFolder, String pgpPublicKey) {
        SftpServer sftp = platform.infra().sftp();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("host", sftp.host());
        config.put("port", sftp.port());
        config.put("username", SftpServer.USER);
        config.put("password", SftpServer.PASSWORD);
        config.put("hostKeyFingerprint", sftp.hostKeyFingerprint());
        return createRouting(name, "SFTP", baseFolder, pgpPublicKey, "sftp", config);
    }

    /**
     * An ACTIVE Azure Blob routing to {@code container} (created when missing) on the platform's Azurite,
     * encrypting to {@code pgpPublicKey} when it is not null.
     */
    public String createAzureRouting(String name, String container, String baseFolder, String pgpPublicKey) {
        AzuriteServer azurite = platform.azurite();
        ProviderClients.azure(azurite.connectionString())
                .getBlobContainerClient(container)
                .createIfNotExists();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("connectionString", azurite.connectionString());
        config.put("container", container);
        return createRouting(name, "AZURE_BLOB", baseFolder, pgpPublicKey, "azureBlob", config);
    }

    private String createRouting(
            String name,
            String type,
            String baseFolder,
            String pgpPublicKey,
            String block,
            Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("status", "ACTIVE");
        body.put("baseFolder", baseFolder);
        if (pgpPublicKey != null) {
            body.put("pgpPublicKey", pgpPublicKey);
        }
        body.put(block, settings);
        return routingAdmin
                .post(url("delivery-service") + "/file-routings", body)
                .expect(201)
                .text("id");
    }

    public String createConfiguration(String name, String routingId) {
        return marketer.post(
                        url("campaign-service") + "/direct-mail-configurations",
                        Map.of("name", name, "routingId", routingId))
                .expect(201)
                .text("id");
    }

    /** A configuration with file format defaults and a folder template (either may be null). */
    public String createConfiguration(
            String name, String routingId, Map<String, Object> format, String folderTemplate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("routingId", routingId);
        if (format != null) {
            body.put("format", format);
        }
        if (folderTemplate != null) {
            body.put("folderTemplate", folderTemplate);
        }
        return marketer.post(url("campaign-service") + "/direct-mail-configurations", body)
                .expect(201)
                .text("id");
    }

    public Map<String, Object> campaignBody(String name, String type, String audienceId, String configurationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "Created by the Mailshot launcher");
        body.put("type", type);
        body.put("audienceId", audienceId);
        body.put("identityNamespace", "crmId");
        body.put("configurationId", configurationId);
        body.put(
                "file",
                Map.of(
                        "nameTemplate",
                        "{campaign.name}-{run.date:yyyyMMdd-HHmmss}-{run.id}.csv",
                        "columns",
                        new ArrayList<>(COLUMNS)));
        return body;
    }

    public String createCampaign(String name, String audienceId, String configurationId) {
        return marketer.post(
                        url("campaign-service") + "/campaigns",
                        campaignBody(name, "SCHEDULED", audienceId, configurationId))
                .expect(201)
                .text("id");
    }

    /** A scheduled campaign with its own file definition ({@code nameTemplate}, {@code columns}, …). */
    public String createCampaign(String name, String audienceId, String configurationId, Map<String, Object> file) {
        Map<String, Object> body = campaignBody(name, "SCHEDULED", audienceId, configurationId);
        body.put("file", file);
        return marketer.post(url("campaign-service") + "/campaigns", body)
                .expect(201)
                .text("id");
    }

    /** Starts a run of the campaign now, after its approval when it needs one; the run's id. */
    public String activate(String campaignId) {
        approveIfNeeded(campaignId);
        return marketer.postEmpty(url("campaign-service") + "/campaigns/" + campaignId + "/activate")
                .expect(202)
                .text("id");
    }

    /**
     * Four eyes, when the installation or the configuration asks for it: the marketer submits the campaign and the
     * approver, another person, approves it. A campaign already approved (or not needing it) is left as it is.
     */
    public void approveIfNeeded(String campaignId) {
        String campaignUrl = url("campaign-service") + "/campaigns/" + campaignId;
        JsonNode campaign = marketer.get(campaignUrl).expect(200).body();
        if (!campaign.path("approvalRequired").asBoolean()
                || !"DRAFT".equals(campaign.path("status").asText())) {
            return;
        }
        marketer.postEmpty(campaignUrl + "/submit").expect(200);
        approver.postEmpty(campaignUrl + "/approve").expect(200);
    }

    public JsonNode run(String runId) {
        return api.get(url("campaign-service") + "/runs/" + runId).expect(200).body();
    }

    /** Polls the run until it is final (DELIVERED, FAILED or CANCELLED), reporting each change. */
    public JsonNode awaitFinished(String runId, Duration timeout, Consumer<JsonNode> onChange) {
        return awaitFinished(api, url("campaign-service"), runId, timeout, onChange);
    }

    /**
     * The same for any running campaign-service: reports the run each time its status or counts change and
     * returns it once final.
     */
    public static JsonNode awaitFinished(
            MailshotApi api, String campaignUrl, String runId, Duration timeout, Consumer<JsonNode> onChange) {
        String[] last = {""};
        return poll(timeout, "run " + runId + " to finish", () -> {
            JsonNode run = api.get(campaignUrl + "/runs/" + runId).expect(200).body();
            String summary = run.path("status").asText() + run.path("counts").toString();
            if (!summary.equals(last[0])) {
                onChange.accept(run);
                last[0] = summary;
            }
            return run.path("status").asText().matches("DELIVERED|FAILED|CANCELLED") ? run : null;
        });
    }

    /**
     * Waits until run {@code runId}'s contact history is recorded, asking the history of one profile it mailed: a
     * run's history is recorded all at once.
     */
    public void awaitContactsRecorded(String namespace, String id, String runId, Duration timeout) {
        String url = url("audience-service") + "/profiles/" + namespace + "/" + id + "/contacts";
        poll(
                timeout,
                "run " + runId + "'s contact history to be recorded",
                () -> api.get(url).expect(200).body().toString().contains(runId) ? Boolean.TRUE : null);
    }

    /**
     * Asks {@code probe} every 250 ms until it answers (not null), and returns the answer. A client of the API has
     * no event to wait on: what the API says is all it can ask.
     */
    private static <T> T poll(Duration timeout, String what, Supplier<T> probe) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            T answer = probe.get();
            if (answer != null) {
                return answer;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("waited " + timeout + " for " + what);
    }
}
