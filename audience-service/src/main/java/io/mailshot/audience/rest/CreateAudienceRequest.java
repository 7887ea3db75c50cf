package io.mailshot.audience.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /audiences}.
 *
 * @param filter a text filter (JSON string, e.g. {@code "homeAddress.countryCode = \"FR\""}), a JSON filter
 *     tree ({@code {"and": [...]}}, {@code {"or": [...]}}, {@code {"not": {...}}} or one condition
 *     {@code {"path","op","value"|"values"}}), or a list of conditions ANDed together; absent or an empty
 *     list targets every profile
 */
public record CreateAudienceRequest(
        @NotBlank @Size(max = 200) String name, JsonNode filter) {}
