package io.mailshot.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A file routing's destination, how its files land there, or its status changed (delivery-service, topic
 * {@link Topics#ROUTING_CHANGES}, keyed by routing id). Whatever was approved to go through it went elsewhere or
 * otherwise from now on. Never carries a secret, nor the new values: only which fields changed.
 *
 * @param changed the request fields that changed, e.g. {@code sftp.host}, {@code s3.bucket}, {@code status}
 * @param status the routing's status after the change: DRAFT, ACTIVE or ARCHIVED
 */
public record RoutingChanged(UUID routingId, List<String> changed, String status, Instant occurredAt) {}
