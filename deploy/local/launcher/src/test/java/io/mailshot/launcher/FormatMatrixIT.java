package io.mailshot.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.infra.InfraPaths;
import io.mailshot.infra.SftpServer;
import io.mailshot.launcher.FormatMatrix.Case;
import io.mailshot.launcher.FormatMatrix.Encoding;
import io.mailshot.launcher.FormatMatrix.Format;
import io.mailshot.launcher.FormatMatrix.Transport;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every pair of format (CSV, DELIMITED with a tab, a semicolon and a pipe, FIXED_WIDTH), encoding (UTF-8 with and
 * without a byte-order mark, ISO-8859-1, Windows-1252), gzip, PGP, transport (S3, SFTP, Azure Blob) and line ending
 * goes through the real pipeline at least once ({@link FormatMatrix}: 20 cases, not 480). One platform, the four
 * packaged services, one small audience of stress values ({@link MatrixProfiles}); every case's campaign runs at
 * the same time. Each delivered file is read as a provider would: its own S3, SFTP or Azure client, {@code gpg}
 * and {@code gunzip} as processes, decoded with the charset the object store's {@code Content-Type} (or, on SFTP,
 * the manifest) declares, parsed by an independent reader and compared row by row with the ingested profiles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormatMatrixIT {

    private static final String S3_BUCKET = "matrix-provider";
    private static final String AZURE_CONTAINER = "matrix-provider";
    private static final Duration RUNS_TIMEOUT = Duration.ofMinutes(10);

    /** A delimited file's columns: label and attribute path. */
    private static final List<String[]> DELIMITED_COLUMNS = List.of(
            new String[] {"Customer ID", "identity.id"},
            new String[] {"Prénom", "person.name.firstName"},
            new String[] {"Nom", "person.name.lastName"},
            new String[] {"Adresse 1", "homeAddress.street1"},
            new String[] {"Adresse 2", "homeAddress.street2"},
            new String[] {"Code postal", "homeAddress.postalCode"},
            new String[] {"Ville", "homeAddress.city"},
            new String[] {"Pays", "homeAddress.countryCode"},
            new String[] {"Note", "attributes.note"},
            new String[] {"Message", "attributes.message"});

    /** A fixed-width column; a fixed-width file cannot hold a line break, so it has no Message. */
    private record Fixed(String label, String path, int width, boolean right, String pad) {}

    private static final List<Fixed> FIXED_COLUMNS = List.of(
            new Fixed("Customer ID", "identity.id", 6, false, " "),
            new Fixed("Prénom", "person.name.firstName", 10, false, " "),
            new Fixed("Nom", "person.name.lastName", 14, false, " "),
            new Fixed("Adresse 1", "homeAddress.street1", 20, false, "."),
            new Fixed("Adresse 2", "homeAddress.street2", 16, false, "·"),
            new Fixed("Code postal", "homeAddress.postalCode", 8, true, " "),
            new Fixed("Ville", "homeAddress.city", 12, false, " "),
            new Fixed("Pays", "homeAddress.countryCode", 2, false, " "),
            new Fixed("Note", "attributes.note", 16, true, "_"));

    private final List<Case> cases = FormatMatrix.cases();
    private final Map<Case, String> runs = new LinkedHashMap<>();
    private final Map<Case, JsonNode> results = new ConcurrentHashMap<>();
    private final List<MatrixProfiles.Profile> profiles = MatrixProfiles.all();
    private LocalPlatform platform;
    private Workflow flow;
    private ProviderCli.Gpg gpg;
    private Path dir;
    private final StringBuilder report = new StringBuilder();

    @BeforeAll
    void runEveryCase() throws Exception {
        LocalPlatform.shareIdentityProvider();
        dir = InfraPaths.root().resolve("deploy/local/launcher/target/format-matrix-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        long started = System.nanoTime();
        gpg = ProviderCli.Gpg.withNewKey();
        platform = LocalPlatform.start(dir, LocalPlatform.Ports.free(), 1, true);
        flow = new Workflow(platform);
        long ready = System.nanoTime();

        Path ndjson = dir.resolve("profiles.ndjson");
        Files.write(ndjson, profiles.stream().map(MatrixProfiles::toJson).toList(), StandardCharsets.UTF_8);
        JsonNode ingested = flow.ingest(ndjson);
        assertEquals(MatrixProfiles.COUNT, ingested.path("accepted").asInt(), ingested.toString());
        String audience = flow.createAudience("Format matrix", MatrixProfiles.BATCH);
        Map<String, String> routings = new HashMap<>();
        for (Transport transport : Transport.values()) {
            for (boolean pgp : List.of(false, true)) {
                String name = "matrix-" + transport.name().toLowerCase(Locale.ROOT) + (pgp ? "-pgp" : "");
                String key = pgp ? gpg.publicKey() : null;
                routings.put(
                        transport + "/" + pgp,
                        switch (transport) {
                            case S3 -> flow.createS3Routing(name, S3_BUCKET, baseFolder(pgp), key);
                            case SFTP -> flow.createSftpRouting(name, baseFolder(pgp), key);
                            case AZURE -> flow.createAzureRouting(name, AZURE_CONTAINER, baseFolder(pgp), key);
                        });
            }
        }
        List<String> campaigns = new ArrayList<>();
        for (Case c : cases) {
            String configuration = flow.createConfiguration(
                    "matrix-" + c.id(), routings.get(c.transport() + "/" + c.pgp()), c.formatRequest(), c.id());
            campaigns.add(flow.createCampaign("Format matrix " + c.id(), audience, configuration, fileDefinition(c)));
        }
        long defined = System.nanoTime();
        // Every case at once: the pipeline interleaves them, as it would a busy evening's campaigns.
        for (int i = 0; i < cases.size(); i++) {
            runs.put(cases.get(i), flow.activate(campaigns.get(i)));
        }
        await().atMost(RUNS_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (Map.Entry<Case, String> run : runs.entrySet()) {
                if (!results.containsKey(run.getKey())) {
                    JsonNode state = flow.run(run.getValue());
                    if (state.path("status").asText().matches("DELIVERED|FAILED|CANCELLED")) {
                        results.put(run.getKey(), state);
                    }
                }
            }
            return results.size() == runs.size();
        });
        long finished = System.nanoTime();
        report.append(String.format("format matrix: %d cases, %d profiles each%n", cases.size(), profiles.size()));
        report.append(String.format("  platform start (with Azurite): %.1f s%n", (ready - started) / 1e9));
        report.append(
                String.format("  ingest, routings, configurations, campaigns: %.1f s%n", (defined - ready) / 1e9));
        report.append(
                String.format("  all %d runs activated to final: %.1f s%n", cases.size(), (finished - defined) / 1e9));
        cases.forEach(c -> report.append("  ")
                .append(c)
                .append("  ")
                .append(results.get(c).path("status").asText())
                .append('\n'));
    }

    @AfterAll
    void stop() throws IOException {
        System.out.println(report);
        if (dir != null) {
            Files.writeString(dir.resolve("report.txt"), report.toString());
        }
        if (platform != null) {
            platform.close();
        }
        if (gpg != null) {
            gpg.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsDeliveredAndReadsBackRowByRow() {
        return cases.stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    List<String> problems = check(c, results.get(c));
                    assertEquals(List.of(), problems, c + "\n" + results.get(c).toPrettyString());
                }));
    }

    private static String baseFolder(boolean pgp) {
        return pgp ? "matrix/pgp" : "matrix/plain";
    }

    private static Map<String, Object> fileDefinition(Case c) {
        List<Map<String, Object>> columns = new ArrayList<>();
        if (c.format() == Format.FIXED_WIDTH) {
            for (Fixed f : FIXED_COLUMNS) {
                Map<String, Object> column = new LinkedHashMap<>();
                column.put("label", f.label());
                column.put("path", f.path());
                column.put("width", f.width());
                column.put("align", f.right() ? "RIGHT" : "LEFT");
                column.put("pad", f.pad());
                columns.add(column);
            }
        } else {
            for (String[] d : DELIMITED_COLUMNS) {
                columns.add(Map.of("label", d[0], "path", d[1]));
            }
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("nameTemplate", "matrix" + c.format().extension);
        file.put("columns", columns);
        return file;
    }

    /** Everything a provider would check about one case's delivery; empty when all is well. */
    private List<String> check(Case c, JsonNode run) throws Exception {
        List<String> problems = new ArrayList<>();
        if (!"DELIVERED".equals(run.path("status").asText())) {
            problems.add("run ended " + run.path("status").asText() + ": "
                    + run.path("error").asText());
            return problems;
        }
        expect(
                problems,
                "exported rows",
                MatrixProfiles.COUNT,
                run.path("counts").path("exported").asInt());
        expect(
                problems,
                "delivered rows",
                MatrixProfiles.COUNT,
                run.path("counts").path("delivered").asInt());
        String fileName = run.path("file").path("name").asText();
        expect(problems, "file name", "matrix" + c.format().extension + (c.gzip() ? ".gz" : ""), fileName);
        String suffix = c.pgp() ? ".pgp" : "";

        Map<String, ProviderClients.Download> delivered = fetch(c);
        String manifestName = delivered.keySet().stream()
                .filter(n -> n.endsWith(".manifest.json" + suffix))
                .findFirst()
                .orElse(null);
        if (manifestName == null || !delivered.containsKey(fileName + suffix) || delivered.size() != 2) {
            problems.add(
                    "the folder holds " + delivered.keySet() + ", expected " + fileName + suffix + " and its manifest");
            return problems;
        }
        ProviderClients.Download file = delivered.get(fileName + suffix);
        ProviderClients.Download manifestFile = delivered.get(manifestName);

        // What was staged: the delivered bytes, decrypted with the provider's own key when the routing encrypts.
        byte[] staged = c.pgp() ? gpg.decrypt(file.bytes()) : file.bytes();
        expect(
                problems,
                "SHA-256 reported by the run",
                run.path("file").path("sha256").asText(),
                sha256(staged));
        JsonNode manifest =
                MailshotApi.json().readTree(c.pgp() ? gpg.decrypt(manifestFile.bytes()) : manifestFile.bytes());
        JsonNode format = manifest.path("format");
        expect(
                problems,
                "manifest format.type",
                c.format().type,
                format.path("type").asText());
        expect(
                problems,
                "manifest format.encoding",
                c.encoding().name(),
                format.path("encoding").asText());
        expect(
                problems,
                "manifest format.compression",
                c.gzip() ? "GZIP" : "NONE",
                format.path("compression").asText());
        expect(
                problems,
                "manifest format.lineEnding",
                c.lineEnding().name(),
                format.path("lineEnding").asText());
        expect(
                problems,
                "manifest totals.rows",
                MatrixProfiles.COUNT,
                manifest.path("totals").path("rows").asInt());
        expect(
                problems,
                "manifest part sha256",
                sha256(staged),
                manifest.path("parts").path(0).path("sha256").asText());

        Charset declared = Charset.forName(
                format.path("encoding").asText().equals("WINDOWS_1252")
                        ? "windows-1252"
                        : format.path("encoding").asText().replace("_BOM", "").replace('_', '-'));
        if (c.transport() != Transport.SFTP) {
            expect(
                    problems,
                    "manifest Content-Type",
                    c.pgp() ? "application/pgp-encrypted" : "application/json",
                    mediaType(manifestFile.contentType()));
            String mediaType = mediaType(file.contentType());
            if (c.pgp()) {
                expect(problems, "Content-Type", "application/pgp-encrypted", mediaType);
            } else if (c.gzip()) {
                expect(problems, "Content-Type", "application/gzip", mediaType);
            } else {
                expect(problems, "Content-Type", c.format().mediaType, mediaType);
                String charset = parameter(file.contentType(), "charset");
                if (charset == null) {
                    problems.add("Content-Type " + file.contentType() + " declares no charset");
                } else {
                    // The provider decodes with what the object store says the object is.
                    declared = Charset.forName(charset);
                }
            }
        }
        expect(problems, "declared charset", c.encoding().charset, declared);

        boolean gzipMagic = staged.length > 1 && (staged[0] & 0xff) == 0x1f && (staged[1] & 0xff) == 0x8b;
        expect(problems, "gzip stream", c.gzip(), gzipMagic);
        byte[] plain = c.gzip() ? ProviderCli.gunzip(staged) : staged;
        boolean bom = plain.length >= 3
                && (plain[0] & 0xff) == 0xef
                && (plain[1] & 0xff) == 0xbb
                && (plain[2] & 0xff) == 0xbf;
        expect(problems, "byte-order mark", c.encoding() == Encoding.UTF_8_BOM, bom);
        String text;
        try {
            text = declared.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain, bom ? 3 : 0, plain.length - (bom ? 3 : 0)))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add("the file is not valid " + declared + ": " + e);
            return problems;
        }
        if (text.startsWith("\uFEFF")) {
            problems.add("a second byte-order mark");
        }
        String ending = c.lineEnding().chars;
        if (!text.endsWith(ending) || c.lineEnding() == FormatMatrix.LineEnding.LF && text.endsWith("\r\n")) {
            problems.add("the file does not end with " + c.lineEnding());
        }
        String header = text.substring(0, text.indexOf('\n') + 1);
        if (!header.endsWith(ending) || c.lineEnding() == FormatMatrix.LineEnding.LF && header.endsWith("\r\n")) {
            problems.add("the header line does not end with " + c.lineEnding() + ": " + visible(header));
        }
        if (c.format() == Format.FIXED_WIDTH) {
            checkFixedWidth(c, text, problems);
        } else {
            checkDelimited(c, text, problems);
        }
        return problems;
    }

    /** The files in the case's folder, as the transport's own provider client lists and reads them. */
    private Map<String, ProviderClients.Download> fetch(Case c) {
        String folder = baseFolder(c.pgp()) + "/" + c.id();
        Map<String, ProviderClients.Download> files = new LinkedHashMap<>();
        switch (c.transport()) {
            case S3 -> {
                try (S3Client s3 = ProviderClients.s3(platform.infra().s3().endpoint())) {
                    for (S3Object object : ProviderClients.listS3(s3, S3_BUCKET, folder + "/")) {
                        files.put(
                                object.key().substring(folder.length() + 1),
                                ProviderClients.downloadS3(s3, S3_BUCKET, object.key()));
                    }
                }
            }
            case SFTP -> {
                SftpServer server = platform.infra().sftp();
                try (ProviderClients.Sftp sftp = new ProviderClients.Sftp(
                        server.host(),
                        server.port(),
                        SftpServer.USER,
                        SftpServer.PASSWORD,
                        server.hostKeyFingerprint())) {
                    for (String name : sftp.list("/" + folder)) {
                        files.put(name, new ProviderClients.Download(sftp.read("/" + folder + "/" + name), null));
                    }
                }
            }
            case AZURE -> {
                BlobServiceClient azure =
                        ProviderClients.azure(platform.azurite().connectionString());
                for (String name : ProviderClients.listAzure(azure, AZURE_CONTAINER, folder + "/")) {
                    files.put(
                            name.substring(folder.length() + 1),
                            ProviderClients.readAzure(azure, AZURE_CONTAINER, name));
                }
            }
        }
        return files;
    }

    /** Parsed by commons-csv with the case's delimiter and RFC 4180 quoting: the header, then a row per profile. */
    private void checkDelimited(Case c, String text, List<String> problems) throws IOException {
        CSVFormat csv =
                CSVFormat.RFC4180.builder().setDelimiter(c.format().delimiter).get();
        List<CSVRecord> records;
        try (CSVParser parser = csv.parse(new StringReader(text))) {
            records = parser.getRecords();
        }
        List<String> labels = DELIMITED_COLUMNS.stream().map(d -> d[0]).toList();
        expect(
                problems,
                "header",
                labels,
                records.isEmpty() ? List.of() : records.get(0).toList());
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (CSVRecord record : records.subList(Math.min(1, records.size()), records.size())) {
            if (rows.put(record.get(0), record.toList()) != null) {
                problems.add("row " + record.get(0) + " twice");
            }
        }
        for (MatrixProfiles.Profile p : profiles) {
            List<String> want = DELIMITED_COLUMNS.stream()
                    .map(d -> cell(p, d[1], c.encoding()))
                    .toList();
            compare(problems, p.id(), want, rows.remove(p.id()));
        }
        rows.keySet().forEach(id -> problems.add("unexpected row " + visible(id)));
    }

    /** Cut into lines at the case's line ending and into cells at the column widths, in characters. */
    private void checkFixedWidth(Case c, String text, List<String> problems) {
        String ending = c.lineEnding().chars;
        List<String> lines =
                List.of(text.substring(0, text.length() - ending.length()).split(ending, -1));
        List<String> header = new ArrayList<>();
        for (Fixed f : FIXED_COLUMNS) {
            header.add(fit(f.label(), f, " "));
        }
        expect(problems, "header", header, slice(lines.get(0), problems));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                problems.add("a line break inside line " + visible(line));
            }
            List<String> cells = slice(line, problems);
            if (cells != null && rows.put(cells.get(0).strip(), cells) != null) {
                problems.add("row " + cells.get(0) + " twice");
            }
        }
        for (MatrixProfiles.Profile p : profiles) {
            List<String> want = FIXED_COLUMNS.stream()
                    .map(f -> fit(cell(p, f.path(), c.encoding()), f, f.pad()))
                    .toList();
            compare(problems, p.id(), want, rows.remove(p.id()));
        }
        rows.keySet().forEach(id -> problems.add("unexpected row " + visible(id)));
    }

    /** A fixed-width line's cells, each exactly its width in characters (code points); null when it does not fit. */
    private static List<String> slice(String line, List<String> problems) {
        List<String> cells = new ArrayList<>();
        int at = 0;
        for (Fixed f : FIXED_COLUMNS) {
            if (line.codePointCount(at, line.length()) < f.width()) {
                problems.add("line too short for column " + f.label() + ": " + visible(line));
                return null;
            }
            int end = line.offsetByCodePoints(at, f.width());
            cells.add(line.substring(at, end));
            at = end;
        }
        if (at != line.length()) {
            problems.add("line longer than its columns: " + visible(line));
        }
        return cells;
    }

    /** A value cut to the column's width and padded to it on the side away from its alignment. */
    private static String fit(String value, Fixed f, String pad) {
        String v = value.codePointCount(0, value.length()) > f.width()
                ? value.substring(0, value.offsetByCodePoints(0, f.width()))
                : value;
        String fill = pad.repeat(f.width() - v.codePointCount(0, v.length()));
        return f.right() ? fill + v : v + fill;
    }

    private static String cell(MatrixProfiles.Profile p, String path, Encoding encoding) {
        MatrixProfiles.Value value = p.values().get(path);
        return value == null ? "" : value.expected(encoding);
    }

    private static void compare(List<String> problems, String id, List<String> want, List<String> got) {
        if (got == null) {
            problems.add("no row for " + id);
        } else if (!want.equals(got)) {
            for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                String w = i < want.size() ? want.get(i) : "(none)";
                String g = i < got.size() ? got.get(i) : "(none)";
                if (!w.equals(g)) {
                    problems.add("row " + id + ", cell " + (i + 1) + ": " + visible(g) + " instead of " + visible(w));
                }
            }
        }
    }

    private static void expect(List<String> problems, String what, Object want, Object got) {
        if (!want.equals(got)) {
            problems.add(what + ": " + got + " instead of " + want);
        }
    }

    /** The media type of a Content-Type, lower case, without parameters. */
    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    private static String parameter(String contentType, String name) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(name)) {
                return kv[1].strip().replace("\"", "");
            }
        }
        return null;
    }

    /** Control characters and what is not ASCII made visible, for messages. */
    private static String visible(String s) {
        StringBuilder b = new StringBuilder("«");
        s.codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append("\\n");
            } else if (cp == '\r') {
                b.append("\\r");
            } else if (cp == '\t') {
                b.append("\\t");
            } else if (cp < 0x20 || cp == 0xfeff) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append('»').toString();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
