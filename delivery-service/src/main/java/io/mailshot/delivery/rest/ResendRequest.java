package io.mailshot.delivery.rest;

import java.util.UUID;

/** Body of {@code POST /deliveries/{runId}/resend}: the target routing, or null for the run's own routing. */
public record ResendRequest(UUID routingId) {}
