package io.mailshot.audience.persistence;

import java.math.BigDecimal;
import java.time.Instant;

/** One response as validated for storage; {@code amount} is null when the response carried none. */
public record ResponseRow(String namespace, String identity, Instant respondedAt, String channel, BigDecimal amount) {}
