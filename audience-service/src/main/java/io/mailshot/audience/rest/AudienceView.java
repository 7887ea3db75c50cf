package io.mailshot.audience.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An audience as the API returns it. */
public record AudienceView(UUID id, String name, List<FilterCondition> filter, Instant createdAt) {
}
