package io.mailshot.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Signs the local platform's demo users in, as a script would: the password grant of the public client
 * {@code mailshot-cli} at the realm's token endpoint. Each user's access token is reused until a minute before it
 * expires. Local use only: the realm's other clients never allow the password grant.
 */
public final class DemoSignIn {

    /** The public client for scripts and tests (password grant, local platform only). */
    public static final String CLI_CLIENT = "mailshot-cli";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record CachedToken(String token, Instant expiresAt) {}

    private final String tokenUrl;
    private final String password;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();

    public DemoSignIn(String tokenUrl, String password) {
        this.tokenUrl = tokenUrl;
        this.password = password;
    }

    /** An access token of the demo user {@code username}. */
    public String token(String username) {
        CachedToken cached = tokens.get(username);
        if (cached != null && cached.expiresAt().isAfter(Instant.now().plusSeconds(60))) {
            return cached.token();
        }
        JsonNode answer = post(
                tokenUrl,
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        CLI_CLIENT,
                        "username",
                        username,
                        "password",
                        password,
                        "scope",
                        "openid"));
        CachedToken fresh = new CachedToken(
                answer.path("access_token").asText(),
                Instant.now().plusSeconds(answer.path("expires_in").asLong()));
        tokens.put(username, fresh);
        return fresh.token();
    }

    /** The claims of an access token (its payload, not verified: for tests that name who a token is). */
    public static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    public String tokenUrl() {
        return tokenUrl;
    }

    /** POSTs a form to a token endpoint and returns its JSON answer; fails on anything but 200. */
    JsonNode post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // The answer names the error (invalid_grant, unauthorized_client), never the password.
                throw new IllegalStateException("the identity provider answered " + response.statusCode()
                        + " to a token request: " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
