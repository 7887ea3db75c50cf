package io.mailshot.audience.persistence;

import java.time.Instant;
import java.util.UUID;

/** A stored audience; {@code filterJson} is the filter as the API accepted it. */
public record AudienceRecord(UUID id, String name, String filterJson, Instant createdAt) {}
