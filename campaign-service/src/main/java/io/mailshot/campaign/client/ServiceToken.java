package io.mailshot.campaign.client;

import io.mailshot.kit.domain.DomainException;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The access token this service shows the other services: a client-credentials token of its own confidential client,
 * fetched when first needed and again shortly before it expires, never the token of the user whose request caused the
 * call (the callee checks it like any other token, and the service's roles are its own).
 */
@ApplicationScoped
public class ServiceToken {

    private final OidcClient client;
    private Tokens tokens;

    public ServiceToken(OidcClient client) {
        this.client = client;
    }

    /** A valid access token; a 503 problem when the identity provider cannot issue one now. */
    public synchronized String get() {
        if (tokens == null || tokens.isAccessTokenWithinRefreshInterval() || tokens.isAccessTokenExpired()) {
            try {
                tokens = client.getTokens().await().atMost(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                tokens = null;
                throw DomainException.unavailable(
                        "the identity provider issued no token for calling the other " + "services; try again");
            }
        }
        return tokens.getAccessToken();
    }

    /**
     * The Authorization header's value. Asked for on the calling (worker) thread, before the typed client sends:
     * fetching a token blocks while the identity provider answers.
     */
    public String bearer() {
        return "Bearer " + get();
    }
}
