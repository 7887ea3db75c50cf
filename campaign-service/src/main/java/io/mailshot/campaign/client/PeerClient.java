package io.mailshot.campaign.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.kit.domain.DomainException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A minimal JSON client for another Mailshot service, signed in as this service: found, not found, or unavailable.
 */
class PeerClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Duration timeout;
    private final String serviceName;
    private final ServiceToken token;

    PeerClient(ObjectMapper json, ServiceToken token, String serviceName, String baseUrl, Duration timeout) {
        this.json = json;
        this.token = token;
        this.serviceName = serviceName;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The resource as JSON, or empty on 404. Any other outcome means the peer cannot answer now. */
    Optional<JsonNode> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** POSTs a JSON body; the answer as JSON, or empty on 404. */
    Optional<JsonNode> post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Optional<JsonNode> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(timeout).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token.get()).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw DomainException.unavailable(serviceName + " answered " + response.statusCode()
                        + "; the reference could not be checked, try again");
            }
            return Optional.of(json.readTree(response.body()));
        } catch (IOException e) {
            throw DomainException.unavailable(serviceName + " is unreachable; the reference could not be checked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DomainException.unavailable("interrupted while checking a reference");
        }
    }
}
