package io.mailshot.audience.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailshot.audience.persistence.AttributePath;
import io.mailshot.audience.persistence.FilterOp;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * One condition of an audience filter, as the API takes and returns it.
 *
 * @param path dotted attribute path into the profile, e.g. {@code homeAddress.countryCode}
 * @param op eq, neq, in, exists or missing
 * @param value the scalar compared by eq and neq (compared as text)
 * @param values the scalars of in (compared as text)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FilterCondition(
        @NotNull @Pattern(regexp = AttributePath.REGEX,
                message = "must be a dotted attribute path of letters, digits and underscores") String path,
        @NotNull FilterOp op,
        JsonNode value,
        List<JsonNode> values) {
}
