package io.mailshot.audience.rest;

import java.time.Instant;
import java.util.UUID;

/** A suppression list as the API returns it; {@code entries} counts its distinct entries. */
public record SuppressionListView(UUID id, String name, String reason, Instant createdAt, long entries) {
}
