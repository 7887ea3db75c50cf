package io.mailshot.kit.security;

import io.mailshot.events.Actor;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the access token alone: its subject (stable, what four-eyes compares) and a display name
 * (for people reading a run's report or the audit trail). Never from a header the caller writes.
 */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller as an actor of events and the audit trail. */
    public Actor actor() {
        return actorOf(identity);
    }

    /** The actor of a resolved identity ({@link Actor#SYSTEM} when anonymous). */
    public static Actor actorOf(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return Actor.SYSTEM;
        }
        String subject = identity.getPrincipal().getName();
        String name = subject;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            subject = token.getSubject() != null ? token.getSubject() : subject;
            name = firstNonBlank(token.getClaim("name"), token.getClaim("preferred_username"), subject);
        }
        return new Actor(subject, name);
    }

    private static String firstNonBlank(Object... values) {
        for (Object v : values) {
            if (v != null && !v.toString().isBlank()) {
                return v.toString();
            }
        }
        return null;
    }
}
