package io.mailshot.audience.rest;

import io.mailshot.audience.service.suppression.SuppressionList;
import java.time.Instant;
import java.util.UUID;

/** A suppression list as the API returns it; {@code entries} counts its distinct entries. */
public record SuppressionListView(UUID id, String name, String reason, Instant createdAt, long entries) {

    static SuppressionListView of(SuppressionList l) {
        return new SuppressionListView(l.id(), l.name(), l.reason(), l.createdAt(), l.entries());
    }
}
