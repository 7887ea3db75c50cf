package io.mailshot.audience.service.suppression;

import java.time.Instant;
import java.util.UUID;

/** A suppression list; {@code entries} counts its distinct entries. */
public record SuppressionList(UUID id, String name, String reason, Instant createdAt, long entries) {}
