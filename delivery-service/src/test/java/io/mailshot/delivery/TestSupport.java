package io.mailshot.delivery;

import static io.restassured.RestAssured.given;

import com.sun.net.httpserver.HttpServer;
import io.mailshot.events.CloudEventHeaders;
import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.StagedFile;
import io.mailshot.events.Topics;
import io.mailshot.infra.PrometheusSamples;
import io.mailshot.infra.StagingTestClient;
import io.mailshot.kit.messaging.EventCodec;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Independent clients the tests use to set up and check the real infrastructure. */
final class TestSupport {

    /** {@code /q/metrics} is open without sign-in, as a Prometheus scraper reads it. */
    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** How much {@code series} (restricted to the given label pairs) grew between two scrapes. */
    static long delta(String before, String after, String series, String... labels) {
        return Math.round(PrometheusSamples.sum(after, series, labels) - PrometheusSamples.sum(before, series, labels));
    }

    /** Secrets the tests submit; none of them may ever appear in an API response or the log. */
    static final String API_S3_SECRET = "api-test-s3-secret-QW8r2Lx";

    static final String API_SFTP_PASSWORD = "api-test-sftp-password-Zt5kP0";
    static final String WRONG_SFTP_PASSWORD = "wrong-sftp-password-Hq3vM9";
    static final String WRONG_S3_SECRET = "wrong-s3-secret-Jd7bN2";

    private TestSupport() {}

    static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    /** An S3 client for the local s3proxy, built here and not by the service. */
    static S3Client s3() {
        return StagingTestClient.create();
    }

    /** Puts {@code content} in the staging bucket as extraction-service would, and describes it. */
    static StagedFile stage(S3Client s3, UUID runId, String name, byte[] content) {
        String bucket = config("mailshot.staging.bucket");
        String key = "runs/" + runId + "/" + name;
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        return new StagedFile(
                name, bucket, key, content.length == 0 ? 0 : countLines(content) - 1, content.length, sha256(content));
    }

    /** A CSV with a header and {@code rows} rows. */
    static byte[] csv(int rows) {
        StringBuilder sb = new StringBuilder("id,first_name,city\n");
        for (int i = 1; i <= rows; i++) {
            sb.append(i)
                    .append(",Name")
                    .append(i)
                    .append(",City ")
                    .append(i % 97)
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long countLines(byte[] content) {
        long lines = 0;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Publishes an ExtractionCompleted as extraction-service would; returns its event id. */
    static String publishCompleted(
            KafkaProducer<String, String> producer,
            EventCodec codec,
            UUID runId,
            UUID routingId,
            List<StagedFile> files)
            throws Exception {
        long rows = files.stream().mapToLong(StagedFile::rows).sum();
        ProducerRecord<String, String> record = codec.encode(
                Topics.EXTRACTION_EVENTS,
                runId.toString(),
                "/mailshot/extraction-service",
                new ExtractionCompleted(runId, UUID.randomUUID(), routingId, rows, files));
        producer.send(record).get();
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    /** Publishes an ExtractionCompleted with parts and a manifest, as the new extraction-service does. */
    static String publishCompleted(
            KafkaProducer<String, String> producer,
            EventCodec codec,
            UUID runId,
            UUID routingId,
            List<StagedFile> parts,
            StagedFile manifest)
            throws Exception {
        long rows = parts.stream().mapToLong(StagedFile::rows).sum();
        ProducerRecord<String, String> record = codec.encode(
                Topics.EXTRACTION_EVENTS,
                runId.toString(),
                "/mailshot/extraction-service",
                new ExtractionCompleted(runId, UUID.randomUUID(), routingId, rows, parts, manifest, 0, 0));
        producer.send(record).get();
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    /** Publishes any ExtractionCompleted (e.g. with a trigger file and a run folder); returns its event id. */
    static String publish(KafkaProducer<String, String> producer, EventCodec codec, ExtractionCompleted event)
            throws Exception {
        ProducerRecord<String, String> record =
                codec.encode(Topics.EXTRACTION_EVENTS, event.runId().toString(), "/mailshot/extraction-service", event);
        producer.send(record).get();
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    /** The manifest exactly in extraction-service's format (see its README), staged as {@code <stem>.manifest.json}. */
    static StagedFile stageExtractionManifest(S3Client s3, UUID runId, String stem, List<StagedFile> parts) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":1,\"runId\":\"" + runId
                + "\",\"campaignName\":\"Spring \\\"mail\\\"\",\"parts\":[");
        for (int i = 0; i < parts.size(); i++) {
            StagedFile p = parts.get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"part\":")
                    .append(i + 1)
                    .append(",\"name\":\"")
                    .append(p.name())
                    .append("\",\"key\":\"")
                    .append(p.key())
                    .append("\",\"rows\":")
                    .append(p.rows())
                    .append(",\"bytes\":")
                    .append(p.bytes())
                    .append(",\"sha256\":\"")
                    .append(p.sha256())
                    .append("\"}");
        }
        json.append("],\"totals\":{\"parts\":")
                .append(parts.size())
                .append("},\"rejections\":[\"row 3, column 'name': x\"]}");
        byte[] content = json.toString().getBytes(StandardCharsets.UTF_8);
        String bucket = config("mailshot.staging.bucket");
        String key = "runs/" + runId + "/manifest.json";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        return new StagedFile(stem + ".manifest.json", bucket, key, 0, content.length, sha256(content));
    }

    /** The CSV trigger file in extraction-service's format, staged as {@code <stem>.manifest.csv}. */
    static StagedFile stageTrigger(S3Client s3, UUID runId, String stem, List<StagedFile> parts) {
        StringBuilder csv = new StringBuilder("run_id,campaign_id,part,name,rows,seed_rows,bytes,sha256\n");
        for (int i = 0; i < parts.size(); i++) {
            StagedFile p = parts.get(i);
            csv.append(runId)
                    .append(",,")
                    .append(i + 1)
                    .append(',')
                    .append(p.name())
                    .append(',')
                    .append(p.rows())
                    .append(",0,")
                    .append(p.bytes())
                    .append(',')
                    .append(p.sha256())
                    .append('\n');
        }
        byte[] content = csv.toString().getBytes(StandardCharsets.UTF_8);
        String bucket = config("mailshot.staging.bucket");
        String key = "runs/" + runId + "/manifest.csv";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        return new StagedFile(stem + ".manifest.csv", bucket, key, 0, content.length, sha256(content));
    }

    /** A manifest JSON naming the parts, staged like the parts. */
    static StagedFile stageManifest(S3Client s3, UUID runId, List<StagedFile> parts) {
        StringBuilder json = new StringBuilder("{\"runId\":\"" + runId + "\",\"files\":[");
        for (int i = 0; i < parts.size(); i++) {
            StagedFile p = parts.get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"")
                    .append(p.name())
                    .append("\",\"bytes\":")
                    .append(p.bytes())
                    .append(",\"sha256\":\"")
                    .append(p.sha256())
                    .append("\"}");
        }
        json.append("]}");
        byte[] content = json.toString().getBytes(StandardCharsets.UTF_8);
        String bucket = config("mailshot.staging.bucket");
        String key = "runs/" + runId + "/manifest.json";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        return new StagedFile("manifest.json", bucket, key, 0, content.length, sha256(content));
    }

    /** Reads a staged file back from the staging bucket (what the destination must end up holding). */
    static byte[] staged(S3Client s3, StagedFile file) {
        return s3.getObjectAsBytes(b -> b.bucket(file.bucket()).key(file.key())).asByteArray();
    }

    /** A consumer of the delivery events, reading from the beginning in its own group. */
    static KafkaConsumer<String, String> deliveryEventsConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "delivery-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.DELIVERY_EVENTS));
        return consumer;
    }

    /** One event read from a topic: its ce_type and JSON data. */
    record Event(String key, String type, String data) {}

    static List<Event> poll(KafkaConsumer<String, String> consumer) {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            Header type = r.headers().lastHeader(CloudEventHeaders.TYPE);
            events.add(new Event(
                    r.key(), type == null ? null : new String(type.value(), StandardCharsets.UTF_8), r.value()));
        }
        return events;
    }

    static Connection jdbc() throws Exception {
        return DriverManager.getConnection(
                config("quarkus.datasource.jdbc.url"),
                config("quarkus.datasource.username"),
                config("quarkus.datasource.password"));
    }

    static boolean processed(String eventId) throws Exception {
        try (Connection c = jdbc();
                PreparedStatement s = c.prepareStatement(
                        "select 1 from processed_event where consumer = 'delivery-service' and event_id = ?")) {
            s.setString(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Each step of a connection test as {@code step:status}, in order, e.g. {@code connect:done}. */
    static List<String> statuses(JsonPath result) {
        List<String> steps = result.getList("steps.step", String.class);
        List<String> statuses = result.getList("steps.status", String.class);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            out.add(steps.get(i) + ":" + statuses.get(i));
        }
        return out;
    }

    /** Runs a connection test of a routing through the API (always 200). */
    static JsonPath connectionTest(UUID routingId) {
        return given().post("/file-routings/" + routingId + "/test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /**
     * A plain web server on a free loopback port that answers every request 404 with a short HTML page: a
     * destination that is reachable but speaks neither SSH, S3 nor Azure Blob. Stop it with {@code stop(0)}.
     */
    static HttpServer webServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = "<html><body>Not here</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(404, exchange.getRequestMethod().equals("HEAD") ? -1 : page.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseBody().write(page);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Creates a routing through the API and returns its id. */
    static UUID createRouting(Map<String, Object> body) {
        String id = given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/file-routings")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    static Map<String, Object> sftpRouting(String name, String baseFolder, String password, String fingerprint) {
        return Map.of(
                "name",
                name,
                "type",
                "SFTP",
                "status",
                "ACTIVE",
                "baseFolder",
                baseFolder,
                "sftp",
                Map.of(
                        "host",
                        config("mailshot.test.sftp.host"),
                        "port",
                        Integer.parseInt(config("mailshot.test.sftp.port")),
                        "username",
                        config("mailshot.test.sftp.user"),
                        "password",
                        password,
                        "hostKeyFingerprint",
                        fingerprint));
    }

    static Map<String, Object> s3Routing(String name, String bucket, String baseFolder, String secret) {
        return Map.of(
                "name",
                name,
                "type",
                "S3",
                "status",
                "ACTIVE",
                "baseFolder",
                baseFolder,
                "s3",
                Map.of(
                        "bucket",
                        bucket,
                        "region",
                        "us-east-1",
                        "endpoint",
                        config("mailshot.test.s3.endpoint"),
                        "pathStyle",
                        true,
                        "accessKeyId",
                        config("mailshot.staging.access-key-id"),
                        "secretAccessKey",
                        secret));
    }
}
