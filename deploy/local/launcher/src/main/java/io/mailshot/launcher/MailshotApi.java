package io.mailshot.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.mailshot.infra.DemoSignIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A small JSON client for the services' REST APIs, as a UI backend would call them: signed in as one demo user
 * (bearer token of the realm, renewed before it expires), or anonymous when there is no sign-in.
 */
public final class MailshotApi {

    /** A status code and the parsed body (NullNode when empty or not JSON). */
    public record Reply(int status, JsonNode body) {

        public Reply expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        public String text(String field) {
            return body.path(field).asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final DemoSignIn signIn;
    private final String user;

    /** An anonymous client: every business endpoint answers it 401. */
    public MailshotApi() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), null, null);
    }

    /** A client signed in as {@code user}. */
    public MailshotApi(DemoSignIn signIn, String user) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), signIn, user);
    }

    private MailshotApi(HttpClient http, DemoSignIn signIn, String user) {
        this.http = http;
        this.signIn = signIn;
        this.user = user;
    }

    /** The same client signed in as another demo user. */
    public MailshotApi as(String otherUser) {
        return new MailshotApi(http, signIn, otherUser);
    }

    /** Who this client is signed in as (null when anonymous). */
    public String user() {
        return user;
    }

    public Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** The body of a 200 answer as text, asking for {@code accept} (a CSV export, say); any other status throws. */
    public String getText(String url, String accept) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET();
        if (signIn != null) {
            request.header("Authorization", "Bearer " + signIn.token(user));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "expected HTTP 200 but got " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply post(String url, Object body) {
        try {
            String json = body instanceof String s ? s : JSON.writeValueAsString(body);
            return send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply postEmpty(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Streams an NDJSON file to the bulk ingestion endpoint. */
    public Reply postNdjson(String url, Path file) {
        try {
            return send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-ndjson")
                    .timeout(Duration.ofMinutes(30))
                    .POST(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a server-sent event stream, handing each event's JSON {@code data} to {@code onEvent} as it arrives,
     * until the server ends the stream or {@code onEvent} returns false. A refusal (not 200) is an
     * {@link IllegalStateException} with its body; a broken connection an {@link UncheckedIOException}.
     */
    public void events(String url, Predicate<JsonNode> onEvent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .GET();
        if (signIn != null) {
            request.header("Authorization", "Bearer " + signIn.token(user));
        }
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + " from " + url + ": "
                            + String.join("\n", lines.toList()));
                }
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("data:")
                            && !onEvent.test(JSON.readTree(line.substring(5).trim()))) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            if (signIn != null) {
                request.header("Authorization", "Bearer " + signIn.token(user));
            }
            HttpResponse<String> response = http.send(
                    request.header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = NullNode.getInstance();
            if (!response.body().isBlank()) {
                try {
                    body = JSON.readTree(response.body());
                } catch (IOException notJson) {
                    body = JSON.getNodeFactory().textNode(response.body());
                }
            }
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
