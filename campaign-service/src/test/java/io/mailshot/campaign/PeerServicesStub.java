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
            String id = exchange.getRequestURI().getPath().substring("/audiences/".length());
            respond(exchange, AUDIENCE.toString().equals(id) ? 200 : 404,
                    "{\"id\":\"" + id + "\",\"name\":\"everyone\"}");
        });
        server.createContext("/file-routings/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/file-routings/".length());
            String status = ACTIVE_ROUTING.toString().equals(id) ? "ACTIVE"
                    : DRAFT_ROUTING.toString().equals(id) ? "DRAFT" : null;
            respond(exchange, status == null ? 404 : 200, "{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}");
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("mailshot.peers.audience-url", url, "mailshot.peers.delivery-url", url);
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
