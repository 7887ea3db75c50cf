package io.mailshot.audience.service.audience;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An audience with its filter in the three forms a reader needs.
 *
 * @param filter the filter exactly as submitted (text, JSON tree or list of conditions)
 * @param filterText the canonical text form of the filter (empty: every profile)
 * @param filterAst the canonical JSON tree of the filter
 */
public record Audience(
        UUID id, String name, JsonNode filter, String filterText, JsonNode filterAst, Instant createdAt) {}
