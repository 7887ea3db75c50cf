package io.mailshot.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.infra.InfraTestResource;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/** One subscriber of a run's server-sent events, as a client reads them: the parsed {@code data:} lines. */
final class RunEventStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    /** Completes when the server ends the stream (each stream reads on its own thread of {@code readers}). */
    final CompletableFuture<Void> ended;

    RunEventStream(HttpClient http, String runId, Executor readers) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/runs/" + runId + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", InfraTestResource.bearer("admin"))
                .GET()
                .build();
        ended = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenAcceptAsync(response -> read(response.body()), readers);
    }

    private void read(InputStream body) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(JSON.readTree(line.substring(5).trim()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode last() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }
}
