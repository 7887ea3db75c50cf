package io.mailshot.campaign;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the audience-service and delivery-service REST APIs, which campaign-service only reads
 * to check references. Infrastructure (database, Kafka) is real; the end-to-end test runs the real peers.
 */
public class PeerServicesStub implements QuarkusTestResourceLifecycleManager {

    public static final UUID AUDIENCE = UUID.fromString("00000000-0000-0000-0000-00000000a001");
    public static final UUID EMPTY_AUDIENCE = UUID.fromString("00000000-0000-0000-0000-00000000a002");
    public static final UUID ACTIVE_ROUTING = UUID.fromString("00000000-0000-0000-0000-00000000b001");
    public static final UUID DRAFT_ROUTING = UUID.fromString("00000000-0000-0000-0000-00000000b002");

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
            String id = rest.replace("/estimate", "");
            boolean known = AUDIENCE.toString().equals(id) || EMPTY_AUDIENCE.toString().equals(id);
            if (rest.endsWith("/estimate")) {
                respond(exchange, known ? 200 : 404, "{\"count\":" + (AUDIENCE.toString().equals(id) ? 1000 : 0) + "}");
            } else {
                respond(exchange, known ? 200 : 404, "{\"id\":\"" + id + "\",\"name\":\"everyone\"}");
            }
        });
        // The expression checker's contract, answered for the shapes these tests use: a call such as
        // upper(person.name.lastName) reads the dotted paths it names; "broken(" is a syntax error.
        server.createContext("/expressions/check", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder results = new StringBuilder();
            java.util.regex.Matcher expressions = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(
                    body.substring(body.indexOf('[')));
            while (expressions.find()) {
                String expression = expressions.group(1);
                boolean valid = !expression.contains("broken(");
                java.util.regex.Matcher paths = java.util.regex.Pattern.compile("[A-Za-z]+(\\.[A-Za-z]+)+")
                        .matcher(expression);
                StringBuilder found = new StringBuilder();
                while (paths.find()) {
                    found.append(found.length() == 0 ? "" : ",").append('"').append(paths.group()).append('"');
                }
                results.append(results.length() == 0 ? "" : ",").append("{\"expression\":\"").append(expression)
                        .append("\",\"valid\":").append(valid).append(",\"error\":")
                        .append(valid ? "null" : "{\"position\":7,\"message\":\"unexpected end\"}")
                        .append(",\"paths\":[").append(found).append("]}");
            }
            respond(exchange, 200, "{\"results\":[" + results + "]}");
        });
        server.createContext("/file-routings/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/file-routings/".length());
            String status = ACTIVE_ROUTING.toString().equals(id) ? "ACTIVE"
                    : DRAFT_ROUTING.toString().equals(id) ? "DRAFT" : null;
            respond(exchange, status == null ? 404 : 200, "{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}");
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("mailshot.peers.audience-url", url, "mailshot.peers.delivery-url", url,
                "mailshot.peers.extraction-url", url);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
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
