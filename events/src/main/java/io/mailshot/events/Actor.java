package io.mailshot.events;

/**
 * Who caused a fact: the subject of the access token of the request behind it (stable: what four-eyes and the audit
 * trail compare) and a display name for people. {@link #SYSTEM} when no person did (a schedule fired).
 */
public record Actor(String subject, String name) {

    /** Mailshot itself: a scheduled run, a stage's own retry. */
    public static final Actor SYSTEM = new Actor("system", "Mailshot");
}
