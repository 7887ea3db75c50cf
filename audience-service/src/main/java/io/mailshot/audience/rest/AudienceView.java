package io.mailshot.audience.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.audience.service.audience.Audience;
import java.time.Instant;
import java.util.UUID;

/**
 * An audience as the API returns it.
 *
 * @param filter the filter exactly as submitted (text, JSON tree or list of conditions)
 * @param filterText the canonical text form of the filter (empty: every profile)
 * @param filterAst the canonical JSON tree of the filter
 */
public record AudienceView(
        UUID id, String name, JsonNode filter, String filterText, JsonNode filterAst, Instant createdAt) {

    static AudienceView of(Audience a) {
        return new AudienceView(a.id(), a.name(), a.filter(), a.filterText(), a.filterAst(), a.createdAt());
    }
}
