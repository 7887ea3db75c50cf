package io.mailshot.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.infra.ForkedServer;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.PostgresServer;
import io.mailshot.infra.S3Server;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code ./mailshot bench}: Mailshot end to end against a hand-written baseline, measured in the same run
 * on the same servers. Ingestion is compared with {@code COPY FROM}; a campaign run (12 columns, three
 * personalised, sorted by postal code, split every 500,000 rows, CSV to S3) with {@code psql COPY (...) TO
 * STDOUT | aws s3 cp -}. Rows are checked equal before any time is printed.
 */
public final class Bench {

    private static final String BASELINE_BUCKET = "bench-baseline";
    private static final String MAILSHOT_BUCKET = "bench-mailshot";
    private static final int PROFILES_PER_REQUEST = 1_000_000;
    /** The plain columns both files contain; compared as multisets. */
    private static final List<String> SHARED =
            List.of("Customer ID", "Postal code", "City", "Country", "Address 1", "Loyalty tier");

    private final int profiles;
    private final int runs;
    private final Path out;
    /** Peak heap per service in MiB, from the services' GC logs (the whole bench: ingestion and runs). */
    private final Map<String, Long> peakHeap = new LinkedHashMap<>();

    /** A mail-pressure rule every run applies ({@code SCOPE,maxContacts,days}), or null for none. */
    private final String pressureRule;

    private Bench(int profiles, int runs, Path out, String pressureRule) {
        this.profiles = profiles;
        this.runs = runs;
        this.out = out;
        this.pressureRule = pressureRule;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int profiles = 1_000_000;
        int runs = 3;
        String pressureRule = null;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--jfr")) {
                System.setProperty("mailshot.jfr", "true");
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--profiles" -> profiles = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--pressure-rule" -> pressureRule = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        run(profiles, runs, InfraPaths.root().resolve("target/bench"), pressureRule);
    }

    /** Runs the bench and returns its report, also written under {@code out}. */
    public static JsonNode run(int profiles, int runs, Path out) throws Exception {
        return run(profiles, runs, out, null);
    }

    /**
     * The same, every run under the mail-pressure rule {@code SCOPE,maxContacts,days} (e.g. {@code HOUSEHOLD,3,30})
     * attached to the bench's configuration when it is not null. Each run mails a new batch of profiles, so the rule
     * stops nobody and the files stay comparable with the baseline; it still joins every profile with the contact
     * history of the runs before it.
     */
    public static JsonNode run(int profiles, int runs, Path out, String pressureRule) throws Exception {
        return new Bench(profiles, runs, out, pressureRule).run();
    }

    private JsonNode run() throws Exception {
        Tools.require("psql", "postgresql-client");
        Tools.require("/usr/bin/aws", "awscli");
        Path work = out.resolve("work-" + profiles);
        Mailshot.deleteRecursively(work);
        Files.createDirectories(work);
        List<Map<String, Double>> measurements = new ArrayList<>();
        Map<String, Long> peakRss;
        try (LocalPlatform platform = LocalPlatform.start(work.resolve("platform"), LocalPlatform.Ports.free())) {
            Workflow flow = new Workflow(platform);
            platform.infra().s3().createBucket(BASELINE_BUCKET);
            String routing = flow.createS3Routing("bench-s3", MAILSHOT_BUCKET, "out");
            String configuration = flow.createConfiguration("bench", routing);
            if (pressureRule != null) {
                String[] rule = pressureRule.split(",");
                if (rule.length != 3) {
                    throw new IllegalArgumentException("--pressure-rule is SCOPE,maxContacts,days: " + pressureRule);
                }
                flow.api()
                        .post(
                                flow.url("campaign-service") + "/pressure-rules",
                                Map.of(
                                        "name",
                                        "bench rule",
                                        "scope",
                                        rule[0],
                                        "maxContacts",
                                        Integer.parseInt(rule[1]),
                                        "days",
                                        Integer.parseInt(rule[2]),
                                        "configurationId",
                                        configuration))
                        .expect(201);
            }
            for (int r = 1; r <= runs; r++) {
                measurements.add(measureOnce(platform, flow, configuration, work, r));
            }
            peakRss = platform.peakRssKib();
            peakHeap.putAll(platform.peakHeapMiB());
        }
        ObjectNode report = report(measurements, peakRss);
        Files.createDirectories(out);
        Files.writeString(out.resolve("report-" + profiles + ".json"), report.toPrettyString());
        Files.writeString(out.resolve("report-" + profiles + ".txt"), table(report));
        System.out.println(table(report));
        return report;
    }

    private Map<String, Double> measureOnce(
            LocalPlatform platform, Workflow flow, String configuration, Path work, int r) throws Exception {
        String batch = "bench" + r;
        List<Path> ndjson;
        Path copyCsv = work.resolve(batch + "-copy.csv");
        try (BufferedWriter copy = Files.newBufferedWriter(copyCsv, StandardCharsets.UTF_8)) {
            Consumer<SyntheticProfiles.Profile> toCopy = p -> {
                try {
                    copy.write(csv("crmId") + "," + csv(p.crmId()) + "," + csv(SyntheticProfiles.toJson(p)) + ","
                            + csv(p.consent()) + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            // A request carries at most a million profiles: a client splits a large export (the service caps
            // a body at 2 GB).
            ndjson = SyntheticProfiles.writeNdjsonParts(
                    work, batch, 1000L + r, profiles, PROFILES_PER_REQUEST, batch, toCopy);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        Map<String, Double> cpu = platform.cpuSeconds();
        long t = System.nanoTime();
        long accepted = 0;
        for (Path file : ndjson) {
            accepted += flow.ingest(file).path("accepted").asLong();
        }
        m.put("ingest_s", seconds(t));
        cpu = cpuSince(platform, cpu, "ingest", m, 0);
        if (accepted != profiles) {
            throw new IllegalStateException("ingestion accepted " + accepted + " of " + profiles);
        }
        PostgresServer pg = platform.infra().postgres();
        // Equivalent to table profile: the same surrogate key and the same unique identity key, which every
        // profile store needs so that loading a profile twice does not make two. Without them COPY would
        // skip the index work that ingestion cannot skip.
        psql(
                pg,
                "audience",
                "drop table if exists bench_copy; create table bench_copy (id bigserial primary key,"
                        + " namespace text not null, identity text not null, doc jsonb not null, postal_consent text,"
                        + " unique (namespace, identity));",
                null);
        double tools = ownChildrenCpuSeconds();
        t = System.nanoTime();
        psql(
                pg,
                "audience",
                "\\copy bench_copy (namespace, identity, doc, postal_consent) from '" + copyCsv + "' with (format csv)",
                null);
        m.put("copy_from_s", seconds(t));
        cpuSince(platform, cpu, "copy_from", m, ownChildrenCpuSeconds() - tools);
        for (Path file : ndjson) {
            Files.delete(file); // 10 million profiles take 11 GB of input files per run
        }
        Files.delete(copyCsv);
        // Both timed exports read table profile, our run first. Right after a bulk load the first reader of
        // every page pays for the load: it sets each row's commit hint bits and, through a sequential scan's
        // small ring of buffers, writes every page back itself, while autovacuum works through both fresh
        // tables at the same time. A production profile table is long settled, so settle this one (untimed)
        // and drop the copy, which only timed COPY FROM: both exports then read the same steady table.
        psql(pg, "audience", "drop table bench_copy;", null);
        psql(pg, "audience", "vacuum (analyze) profile;", null);

        String audience = flow.createAudience("bench audience " + r, batch);
        Map<String, Object> body = flow.campaignBody("Bench " + r, "SCHEDULED", audience, configuration);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("nameTemplate", "bench-{run.id}-{part:03}.csv");
        file.put("columns", columns());
        file.put("sort", List.of(Map.of("column", "Postal code", "direction", "ASC")));
        file.put("splitEvery", 500_000);
        body.put("file", file);
        String campaign = flow.api()
                .post(flow.url("campaign-service") + "/campaigns", body)
                .expect(201)
                .text("id");

        Map<String, Long> firstSeen = new HashMap<>();
        cpu = platform.cpuSeconds();
        long activated = System.nanoTime();
        String runId = flow.activate(campaign);
        JsonNode result = flow.awaitFinished(
                runId,
                Duration.ofHours(2),
                run -> firstSeen.putIfAbsent(run.path("status").asText(), System.nanoTime()));
        long delivered = System.nanoTime();
        if (!"DELIVERED".equals(result.path("status").asText())) {
            throw new IllegalStateException("bench run failed: " + result);
        }
        m.put("end_to_end_s", (delivered - activated) / 1e9);
        cpuSince(platform, cpu, "run", m, 0);
        long extracting = firstSeen.getOrDefault("EXTRACTING", activated);
        long delivering = firstSeen.getOrDefault("DELIVERING", delivered);
        // Resolution and extraction overlap (the profile stream is consumed as it is produced):
        // "resolve" ends when extraction starts writing, "extract" when the staged files are complete.
        m.put("resolve_s", (extracting - activated) / 1e9);
        m.put("extract_s", (delivering - extracting) / 1e9);
        m.put("deliver_s", (delivered - delivering) / 1e9);
        m.put("rows", (double) result.path("counts").path("exported").asLong());
        // The audience-service records the run's contact history once it is delivered, off the run's clock; wait
        // for it (untimed in the ratio, reported on its own) so that it does not share the machine with the baseline.
        awaitRecorded(flow, runId, 1000L + r, batch);
        m.put("record_history_s", (System.nanoTime() - delivered) / 1e9);

        String select = "select identity as \"Customer ID\", doc #>> '{person,name,title}' as \"Title\","
                + " upper(doc #>> '{person,name,lastName}') as \"Last name\","
                + " concat(doc #>> '{person,name,firstName}', ' ', doc #>> '{person,name,lastName}') as \"Full name\","
                + " doc #>> '{homeAddress,street1}' as \"Address 1\", doc #>> '{homeAddress,street2}' as \"Address 2\","
                + " doc #>> '{homeAddress,street3}' as \"Address 3\", doc #>> '{homeAddress,street4}' as \"Address 4\","
                + " doc #>> '{homeAddress,postalCode}' as \"Postal code\", doc #>> '{homeAddress,city}' as \"City\","
                + " doc #>> '{homeAddress,countryCode}' as \"Country\","
                + " to_char((doc #>> '{attributes,birthDate}')::date, 'DD/MM/YYYY') as \"Birth date\","
                + " doc #>> '{attributes,loyalty,tier}' as \"Loyalty tier\""
                + " from profile where doc #>> '{attributes,batch}' = '" + batch + "'"
                + " and coalesce(postal_consent, '') <> 'n'"
                + " and coalesce(doc #>> '{homeAddress,street1}', '') <> '' and coalesce(doc #>> '{homeAddress,postalCode}', '') <> ''"
                + " and coalesce(doc #>> '{homeAddress,city}', '') <> '' and coalesce(doc #>> '{homeAddress,countryCode}', '') <> ''"
                + " order by doc #>> '{homeAddress,postalCode}'";
        String key = "baseline-" + r + ".csv";
        cpu = platform.cpuSeconds();
        tools = ownChildrenCpuSeconds();
        t = System.nanoTime();
        psql(
                pg,
                "audience",
                "\\copy (" + select + ") to stdout with (format csv, header)",
                "/usr/bin/aws --endpoint-url " + platform.infra().s3().endpoint() + " s3 cp - s3://" + BASELINE_BUCKET
                        + "/" + key);
        m.put("baseline_s", seconds(t));
        cpuSince(platform, cpu, "baseline", m, ownChildrenCpuSeconds() - tools);

        checkSameRows(platform, runId, key);
        return m;
    }

    /**
     * Records the CPU seconds each process used since {@code before} as {@code cpu_<phase>.<process>}, and
     * their sum (plus {@code tools}, the psql and aws processes of a baseline) as {@code cpu_<phase>_s}.
     * On a shared 2-core machine the CPU a phase costs is steadier than its wall-clock time, and it says
     * which process to look at. Returns the new reading.
     */
    private static Map<String, Double> cpuSince(
            LocalPlatform platform, Map<String, Double> before, String phase, Map<String, Double> into, double tools) {
        Map<String, Double> now = platform.cpuSeconds();
        double total = tools;
        for (Map.Entry<String, Double> e : now.entrySet()) {
            Double was = before.get(e.getKey());
            if (was != null && was >= 0 && e.getValue() >= 0) {
                double used = e.getValue() - was;
                into.put("cpu_" + phase + "." + e.getKey(), used);
                total += used;
            }
        }
        if (tools > 0) {
            into.put("cpu_" + phase + ".psql+aws", tools);
        }
        into.put("cpu_" + phase + "_s", total);
        return now;
    }

    /** Waits until the run's contact history is recorded, asking the history of one profile the run mailed. */
    private static void awaitRecorded(Workflow flow, String runId, long seed, String batch) {
        SyntheticProfiles.Profile mailed = null;
        for (int i = 0; mailed == null; i++) {
            SyntheticProfiles.Profile p = SyntheticProfiles.profile(seed, i, batch);
            mailed = p.eligible() ? p : null;
        }
        flow.awaitContactsRecorded("crmId", mailed.crmId(), runId, Duration.ofMinutes(30));
    }

    /** CPU seconds of this JVM's reaped children (the psql, aws and bash processes of the baselines). */
    private static double ownChildrenCpuSeconds() {
        return ForkedServer.reapedChildrenCpuSeconds(ProcessHandle.current().pid());
    }

    private static List<Map<String, String>> columns() {
        List<Map<String, String>> columns = new ArrayList<>();
        columns.add(Map.of("label", "Customer ID", "path", "identity.id"));
        columns.add(Map.of("label", "Title", "path", "person.name.title"));
        columns.add(Map.of("label", "Last name", "expression", "upper(person.name.lastName)"));
        columns.add(Map.of(
                "label", "Full name", "expression", "concat(person.name.firstName, \" \", person.name.lastName)"));
        for (int i = 1; i <= 4; i++) {
            columns.add(Map.of("label", "Address " + i, "path", "homeAddress.street" + i));
        }
        columns.add(Map.of("label", "Postal code", "path", "homeAddress.postalCode"));
        columns.add(Map.of("label", "City", "path", "homeAddress.city"));
        columns.add(Map.of("label", "Country", "path", "homeAddress.countryCode"));
        columns.add(Map.of("label", "Birth date", "expression", "formatDate(attributes.birthDate, \"dd/MM/yyyy\")"));
        columns.add(Map.of("label", "Loyalty tier", "path", "attributes.loyalty.tier"));
        return columns;
    }

    /**
     * Every delivered part against the baseline file: the same multiset of shared fields. Compared by a
     * multiset digest, not a map of rows, so that 10 million rows need no more memory than ten: each row's
     * fields are hashed with SHA-256, and the count and the sums (mod 2^64) of the hash's first two 64-bit
     * words are compared. The sums ignore order, as a multiset comparison must; two different multisets
     * agree on them only by a 2^-128 accident.
     */
    private void checkSameRows(LocalPlatform platform, String runId, String baselineKey) throws IOException {
        RowDigest ours = new RowDigest();
        RowDigest theirs = new RowDigest();
        try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
            for (S3Object part : ProviderClients.listS3(s3, MAILSHOT_BUCKET, "out/bench-" + runId)) {
                if (part.key().endsWith(".csv")) { // the parts; the manifest is JSON
                    count(s3, MAILSHOT_BUCKET, part.key(), ours);
                }
            }
            count(s3, BASELINE_BUCKET, baselineKey, theirs);
        }
        if (ours.rows == 0 || !ours.equals(theirs)) {
            throw new IllegalStateException("Mailshot's rows differ from the baseline's: " + ours.rows + " vs "
                    + theirs.rows + " rows, or the same count with different values; no time is reported for a"
                    + " wrong result");
        }
    }

    private static void count(S3Client s3, String bucket, String key, RowDigest into) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                var parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            for (var row : parser) {
                StringBuilder shared = new StringBuilder();
                for (String column : SHARED) {
                    shared.append(row.get(column)).append('\u001f');
                }
                into.add(shared.toString());
            }
        }
    }

    /** An order-independent digest of a multiset of rows (see {@link #checkSameRows}). */
    static final class RowDigest {
        private final MessageDigest sha256;
        long rows;
        long sum1;
        long sum2;

        RowDigest() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(String row) {
            byte[] h = sha256.digest(row.getBytes(StandardCharsets.UTF_8));
            ByteBuffer words = ByteBuffer.wrap(h);
            sum1 += words.getLong();
            sum2 += words.getLong();
            rows++;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowDigest d && d.rows == rows && d.sum1 == sum1 && d.sum2 == sum2;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(sum1 ^ sum2 ^ rows);
        }
    }

    private ObjectNode report(List<Map<String, Double>> measurements, Map<String, Long> peakRss) {
        ObjectNode report = MailshotApi.json().createObjectNode();
        report.put("profiles", profiles);
        report.put("runs", runs);
        report.put("measuredAt", Instant.now().toString());
        // The targets are ratios within one run (ours and the baseline share that run's machine load): each
        // run's ratio is computed first, and the median of those is reported.
        for (Map<String, Double> m : measurements) {
            m.put("ratio_end_to_end_vs_baseline", m.get("end_to_end_s") / m.get("baseline_s"));
            m.put("ratio_ingest_vs_copy_from", m.get("ingest_s") / m.get("copy_from_s"));
        }
        ObjectNode medians = report.putObject("medians");
        for (String key : measurements.get(0).keySet()) {
            List<Double> values =
                    new ArrayList<>(measurements.stream().map(m -> m.get(key)).toList());
            Collections.sort(values);
            medians.put(key, values.get(values.size() / 2));
        }
        double rows = medians.path("rows").asDouble();
        medians.put("end_to_end_rows_per_s", rows / medians.path("end_to_end_s").asDouble());
        medians.put("ingest_profiles_per_s", profiles / medians.path("ingest_s").asDouble());
        report.put(
                "ratio_end_to_end_vs_baseline",
                medians.path("ratio_end_to_end_vs_baseline").asDouble());
        report.put(
                "ratio_ingest_vs_copy_from",
                medians.path("ratio_ingest_vs_copy_from").asDouble());
        ArrayNode all = report.putArray("measurements");
        measurements.forEach(m -> all.add(MailshotApi.json().valueToTree(m)));
        ObjectNode memory = report.putObject("memory");
        peakRss.forEach((name, kib) -> {
            ObjectNode process = memory.putObject(name);
            process.put("peakRssMiB", kib / 1024);
            if (peakHeap.getOrDefault(name, -1L) >= 0) {
                process.put("peakHeapMiB", peakHeap.get(name));
            }
        });
        return report;
    }

    private static String table(JsonNode report) {
        StringBuilder out = new StringBuilder();
        JsonNode m = report.path("medians");
        out.append(String.format(
                "%nMailshot bench: %,d profiles, median of %d runs%n",
                report.path("profiles").asLong(), report.path("runs").asInt()));
        out.append(String.format("  %-28s %10s%n", "measure", "seconds"));
        for (String key : List.of(
                "ingest_s",
                "copy_from_s",
                "resolve_s",
                "extract_s",
                "deliver_s",
                "end_to_end_s",
                "record_history_s",
                "baseline_s")) {
            out.append(String.format("  %-28s %10.2f%n", key, m.path(key).asDouble()));
        }
        out.append(String.format(
                "  %-28s %,10.0f%n", "rows delivered", m.path("rows").asDouble()));
        out.append(String.format(
                "  %-28s %,10.0f%n",
                "end-to-end rows/s", m.path("end_to_end_rows_per_s").asDouble()));
        out.append(String.format(
                "  %-28s %,10.0f%n",
                "ingested profiles/s", m.path("ingest_profiles_per_s").asDouble()));
        out.append(String.format(
                "  %-28s %10.2f   (target <= 2.0)%n",
                "end to end / baseline *",
                report.path("ratio_end_to_end_vs_baseline").asDouble()));
        out.append(String.format(
                "  %-28s %10.2f   (target <= 2.0)%n",
                "ingestion / COPY FROM *",
                report.path("ratio_ingest_vs_copy_from").asDouble()));
        out.append("  * the median of each run's own ratio\n");
        out.append(String.format("  %-28s %10s%n", "CPU seconds", "total"));
        for (String phase : List.of("ingest", "copy_from", "run", "baseline")) {
            StringBuilder parts = new StringBuilder();
            m.fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("cpu_" + phase + ".") && e.getValue().asDouble() >= 0.05) {
                    parts.append(String.format(
                            "  %s %.1f",
                            e.getKey().substring(phase.length() + 5),
                            e.getValue().asDouble()));
                }
            });
            out.append(String.format(
                    "  %-28s %10.1f %s%n",
                    "  " + phase, m.path("cpu_" + phase + "_s").asDouble(), parts));
        }
        out.append("  peak memory (MiB):\n");
        report.path("memory")
                .fields()
                .forEachRemaining(e -> out.append(String.format(
                        "    %-20s RSS %6d  heap %6s%n",
                        e.getKey(),
                        e.getValue().path("peakRssMiB").asLong(),
                        e.getValue().has("peakHeapMiB")
                                ? e.getValue().path("peakHeapMiB").asText()
                                : "-")));
        return out.toString();
    }

    /** Runs psql against one database, optionally piping its output into a shell command. */
    private static void psql(PostgresServer pg, String database, String command, String pipeTo) {
        String psql = "PGPASSWORD=" + PostgresServer.PASSWORD + " psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "
                + pg.port() + " -U " + PostgresServer.USER + " -d " + database + " -c " + shellQuote(command);
        String script = pipeTo == null ? psql : "set -o pipefail; " + psql + " | " + pipeTo;
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
            builder.environment().put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
            builder.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
            builder.environment().put("AWS_DEFAULT_REGION", S3Server.REGION);
            // s3proxy rejects the CLI's default CRC checksums, like the SDK's.
            builder.environment().put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
            builder.environment().put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
                throw new IllegalStateException("baseline command failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
