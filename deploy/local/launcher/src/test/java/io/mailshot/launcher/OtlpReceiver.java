package io.mailshot.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A trace collector for tests: accepts OTLP/HTTP protobuf exports ({@code POST /v1/traces}) from the services and
 * keeps every span with the {@code service.name} of the process that sent it. Parsed with the OTLP protobuf classes,
 * independently of the services' own exporter.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as received: who sent it, its ids, its name and string attributes. */
    record ReceivedSpan(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Map<String, String> attributes) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::receive);
        server.start();
    }

    /** The base URL to give the services' OTLP/HTTP exporter. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Requests that were not a trace export (path, method or body), for the failure message. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                refused.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream body =
                    "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(exchange.getRequestBody())
                            : exchange.getRequestBody()) {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                refused.add("unreadable export: " + e);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service =
                        strings(resource.getResource().getAttributesList()).get("service.name");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.add(new ReceivedSpan(
                                service,
                                hex(span.getTraceId().toByteArray()),
                                hex(span.getSpanId().toByteArray()),
                                hex(span.getParentSpanId().toByteArray()),
                                span.getName(),
                                strings(span.getAttributesList())));
                    }
                }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                exchange.getResponseBody().write(response);
            }
        }
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        Map<String, String> values = new HashMap<>();
        for (KeyValue attribute : attributes) {
            AnyValue value = attribute.getValue();
            if (value.hasStringValue()) {
                values.put(attribute.getKey(), value.getStringValue());
            }
        }
        return values;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
