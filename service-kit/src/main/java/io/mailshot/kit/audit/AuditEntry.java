package io.mailshot.kit.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One entry of the audit trail as {@code GET /audit} shows it: who ({@code actor}), when, what ({@code action} on
 * {@code entity}, {@code within} the entity it belongs to, e.g. a run within its campaign), the outcome, and a small
 * {@code details} object (field names, counts, statuses; never secrets or profile data).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(
        long id,
        Instant occurredAt,
        Actor actor,
        String action,
        Ref entity,
        Ref within,
        Outcome outcome,
        JsonNode details) {

    /** Who acted: the token's subject (stable) and display name. */
    public record Actor(String subject, String name) {}

    /** An entity by type and id (the id is absent for changes of many, e.g. a profile ingestion). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ref(String type, String id) {}

    /** A page of entries, oldest first. */
    public record Page(List<AuditEntry> items, int page, int size, long total) {}
}
