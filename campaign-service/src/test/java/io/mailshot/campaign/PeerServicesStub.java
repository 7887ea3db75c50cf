package io.mailshot.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the audience-service and delivery-service REST APIs, which campaign-service only reads
 * to check references. Infrastructure (database, Kafka) is real; the end-to-end test runs the real peers.
 */
public class PeerServicesStub implements QuarkusTestResourceLifecycleManager {

    public static final UUID AUDIENCE = UUID.fromString("00000000-0000-0000-0000-00000000a001");
    public static final UUID EMPTY_AUDIENCE = UUID.fromString("00000000-0000-0000-0000-00000000a002");
    /** An audience whose store cannot tell in time whether it matches anyone (a huge store). */
    public static final UUID UNDECIDED_AUDIENCE = UUID.fromString("00000000-0000-0000-0000-00000000a003");

    public static final UUID ACTIVE_ROUTING = UUID.fromString("00000000-0000-0000-0000-00000000b001");
    public static final UUID DRAFT_ROUTING = UUID.fromString("00000000-0000-0000-0000-00000000b002");
    /** A routing the delivery-service cannot read now: it answers 503, as a peer in trouble does. */
    public static final UUID FAILING_ROUTING = UUID.fromString("00000000-0000-0000-0000-00000000b003");
    /** How many times {@link #FAILING_ROUTING} was asked for. */
    public static final AtomicInteger FAILING_ROUTING_CALLS = new AtomicInteger();
    /** The Authorization header of the last routing question: the token campaign-service signs in with. */
    public static volatile String lastRoutingAuthorization;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/audiences/", exchange -> {
            String rest = exchange.getRequestURI().getPath().substring("/audiences/".length());
            if (rest.endsWith("/field-coverage")) {
                String id = rest.replace("/field-coverage", "");
                boolean known = AUDIENCE.toString().equals(id)
                        || EMPTY_AUDIENCE.toString().equals(id)
                        || UNDECIDED_AUDIENCE.toString().equals(id);
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                respond(
                        exchange,
                        known ? 200 : 404,
                        coverage(body, AUDIENCE.toString().equals(id) ? 1000 : 0));
                return;
            }
            if (rest.endsWith("/pressure-check")) {
                // The pressure-check contract: of 900 eligible profiles, each rule alone stops 100 and all of them
                // together 100 (the same profiles). Answers 503 while PRESSURE_CHECK_FAILS is set.
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                lastPressureCheck = body;
                if (PRESSURE_CHECK_FAILS) {
                    respond(exchange, 503, "{\"title\":\"Service Unavailable\"}");
                    return;
                }
                var json = new ObjectMapper();
                var answer = json.createObjectNode();
                answer.put("eligible", 900);
                answer.put("stopped", 100);
                var counts = answer.putArray("rules");
                for (var rule : json.readTree(body).path("rules")) {
                    counts.addObject()
                            .put("ruleId", rule.path("id").asText())
                            .put("name", rule.path("name").asText())
                            .put("stopped", 100);
                }
                respond(exchange, 200, json.writeValueAsString(answer));
                return;
            }
            String id = rest.replace("/estimate", "").replace("/matches-any", "");
            boolean known = AUDIENCE.toString().equals(id)
                    || EMPTY_AUDIENCE.toString().equals(id)
                    || UNDECIDED_AUDIENCE.toString().equals(id);
            if (rest.endsWith("/matches-any")) {
                MATCHES_ANY_CALLS.incrementAndGet();
                String any = UNDECIDED_AUDIENCE.toString().equals(id)
                        ? "null"
                        : String.valueOf(AUDIENCE.toString().equals(id));
                respond(exchange, known ? 200 : 404, "{\"matchesAny\":" + any + "}");
            } else if (rest.endsWith("/estimate")) {
                respond(
                        exchange,
                        known ? 200 : 404,
                        "{\"count\":" + (AUDIENCE.toString().equals(id) ? 1000 : 0) + "}");
            } else {
                respond(exchange, known ? 200 : 404, "{\"id\":\"" + id + "\",\"name\":\"everyone\"}");
            }
        });
        // The expression checker's contract, answered for the shapes these tests use: a call such as
        // upper(person.name.lastName) reads the dotted paths it names; "broken(" is a syntax error.
        server.createContext("/expressions/check", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder results = new StringBuilder();
            Matcher expressions = Pattern.compile("\"([^\"]*)\"").matcher(body.substring(body.indexOf('[')));
            while (expressions.find()) {
                String expression = expressions.group(1);
                boolean valid = !expression.contains("broken(");
                Matcher paths = Pattern.compile("[A-Za-z]+(\\.[A-Za-z]+)+").matcher(expression);
                StringBuilder found = new StringBuilder();
                while (paths.find()) {
                    found.append(found.length() == 0 ? "" : ",")
                            .append('"')
                            .append(paths.group())
                            .append('"');
                }
                results.append(results.length() == 0 ? "" : ",")
                        .append("{\"expression\":\"")
                        .append(expression)
                        .append("\",\"valid\":")
                        .append(valid)
                        .append(",\"error\":")
                        .append(valid ? "null" : "{\"position\":7,\"message\":\"unexpected end\"}")
                        .append(",\"paths\":[")
                        .append(found)
                        .append("]}");
            }
            respond(exchange, 200, "{\"results\":[" + results + "]}");
        });
        // Stored profiles by identity: one test profile, crmId/T1.
        server.createContext("/profiles/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().equals("/profiles/crmId/T1");
            respond(exchange, known ? 200 : 404, known ? TEST_PROFILE : "{\"status\":404}");
        });
        // The preview renderer's contract, answered by echoing what campaign-service sent: the spec's file
        // name, and per profile one line of its values joined by '|' (null as empty), plus the fields they
        // were projected from, so tests can check the projection through the public API.
        server.createContext("/previews", exchange -> {
            var json = new ObjectMapper();
            var request = json.readTree(exchange.getRequestBody());
            var answer = json.createObjectNode();
            answer.put("fileName", request.at("/spec/fileName").asText());
            var lines = answer.putArray("lines");
            for (var profile : request.path("profiles")) {
                List<String> values = new ArrayList<>();
                profile.path("values").forEach(v -> values.add(v.isNull() ? "" : v.asText()));
                lines.add(String.join("|", values));
            }
            answer.putArray("errors");
            answer.set("fields", request.path("fields"));
            respond(exchange, 200, json.writeValueAsString(answer));
        });
        // The match-back contract, answered from a fixed picture: 1000 mailed customers of whom 50 responded, 100 held
        // out of whom 1 did, a lift of 0.04; 503 while MATCH_BACK_FAILS is set.
        server.createContext("/runs/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (!path.endsWith("/match-back")) {
                respond(exchange, 404, "{\"status\":404}");
                return;
            }
            if (MATCH_BACK_FAILS) {
                respond(exchange, 503, "{\"title\":\"Service Unavailable\"}");
                return;
            }
            String runId = path.substring("/runs/".length(), path.length() - "/match-back".length());
            String query = exchange.getRequestURI().getQuery();
            String window = query == null ? "0" : query.replaceAll(".*windowDays=([0-9]+).*", "$1");
            respond(
                    exchange,
                    200,
                    "{\"runId\":\"" + runId + "\",\"campaignId\":null,\"windowDays\":" + window
                            + ",\"mailed\":{\"customers\":1000,\"responders\":50,\"responseRate\":0.05,"
                            + "\"revenue\":2500.00,\"revenuePerCustomer\":2.50},"
                            + "\"heldOut\":{\"customers\":100,\"responders\":1,\"responseRate\":0.01,"
                            + "\"revenue\":40.00,\"revenuePerCustomer\":0.40},"
                            + "\"lift\":{\"absolute\":0.04,\"low\":0.01,\"high\":0.07,\"relative\":4.0}}");
        });
        server.createContext("/file-routings/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/file-routings/".length());
            lastRoutingAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (FAILING_ROUTING.toString().equals(id)) {
                FAILING_ROUTING_CALLS.incrementAndGet();
                respond(exchange, 503, "{\"title\":\"Service Unavailable\"}");
                return;
            }
            String status = ACTIVE_ROUTING.toString().equals(id)
                    ? "ACTIVE"
                    : DRAFT_ROUTING.toString().equals(id) ? "DRAFT" : null;
            respond(exchange, status == null ? 404 : 200, "{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}");
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "mailshot.peers.audience-url",
                url,
                "mailshot.peers.delivery-url",
                url,
                "mailshot.peers.extraction-url",
                url);
    }

    /**
     * The field-coverage contract, answered from a fixed picture of the profile store: names, the address
     * and the loyalty points are filled everywhere; the loyalty tier in 300 of 1000 sampled profiles;
     * {@link #UNDECIDED_PATH} is too costly to decide in time; every other path exists in no profile.
     */
    private static String coverage(String body, int sampled) {
        Matcher paths = Pattern.compile("\"([A-Za-z0-9_.]+)\"")
                .matcher(body.substring(body.indexOf('['), body.indexOf(']') + 1));
        StringBuilder answer = new StringBuilder();
        while (paths.find()) {
            String path = paths.group(1);
            Integer filled = FILLED.entrySet().stream()
                    .filter(e -> path.matches(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
            String known = UNDECIDED_PATH.equals(path) ? "null" : String.valueOf(filled != null);
            long filledInSample = filled == null ? 0 : Math.round(filled / 1000.0 * sampled);
            answer.append(answer.length() == 0 ? "" : ",")
                    .append("{\"path\":\"")
                    .append(path)
                    .append("\",\"known\":")
                    .append(known)
                    .append(",\"filled\":")
                    .append(filledInSample)
                    .append(",\"sampled\":")
                    .append(sampled)
                    .append('}');
        }
        return "{\"sample\":1000,\"paths\":[" + answer + "]}";
    }

    private static final String TEST_PROFILE = "{\"identity\":{\"namespace\":\"crmId\",\"id\":\"T1\"},"
            + "\"person\":{\"name\":{\"firstName\":\"Tess\",\"lastName\":\"Proof\"}},"
            + "\"homeAddress\":{\"postalCode\":\"75001\"},\"testProfile\":true}";

    /** The body of the last pressure-check question (the rules and the campaign the campaign-service sent). */
    public static volatile String lastPressureCheck;
    /** While set, the pressure check answers 503, as a peer in trouble does. */
    public static volatile boolean PRESSURE_CHECK_FAILS;
    /** While set, the match-back answers 503. */
    public static volatile boolean MATCH_BACK_FAILS;

    /** How many times the matches-any question was asked (each is a scan of the profile store). */
    public static final AtomicInteger MATCHES_ANY_CALLS = new AtomicInteger();

    /** A path the audience-service could not decide about within its time budget. */
    public static final String UNDECIDED_PATH = "attributes.archive.legacyCode";

    /** Path patterns of the stub's profile store and how many of 1000 profiles fill them. */
    private static final Map<String, Integer> FILLED = Map.of(
            "person\\.name\\..*",
            1000,
            "homeAddress\\..*",
            1000,
            "identity\\.id",
            1000,
            "attributes\\.loyalty\\.points",
            1000,
            "attributes\\.loyalty\\.tier",
            300);

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
