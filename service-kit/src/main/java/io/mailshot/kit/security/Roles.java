package io.mailshot.kit.security;

import java.util.List;

/**
 * The realm roles of the OpenID Connect provider that open Mailshot's endpoints (each service's README has the table
 * of which role opens what), and {@link #READER}, held by whoever holds any of them.
 */
public final class Roles {

    /** Reads campaigns, configurations, runs, audiences (counts, never profile data), routings (never secrets). */
    public static final String VIEWER = "mailshot-viewer";
    /** Creates and edits configurations and campaigns, validates, simulates, submits, activates approved ones. */
    public static final String MARKETER = "mailshot-marketer";
    /** Approves or rejects campaigns, never one they created, last edited or submitted. */
    public static final String APPROVER = "mailshot-approver";
    /** "Manage file routing": creates, edits and activates routings, tests connections, pins host keys. */
    public static final String ROUTING_ADMIN = "mailshot-routing-admin";
    /** Ingests profiles, manages audiences and suppression lists, reads profiles. */
    public static final String AUDIENCE_MANAGER = "mailshot-audience-manager";
    /** Cancels, retries and re-sends runs. */
    public static final String OPERATOR = "mailshot-operator";

    /**
     * Not a realm role: given by {@link ReaderRole} to a caller holding any role above, so that "viewers and above"
     * is one name on the read endpoints.
     */
    public static final String READER = "mailshot-reader";

    /** Every realm role above. */
    public static final List<String> ALL =
            List.of(VIEWER, MARKETER, APPROVER, ROUTING_ADMIN, AUDIENCE_MANAGER, OPERATOR);

    private Roles() {}
}
