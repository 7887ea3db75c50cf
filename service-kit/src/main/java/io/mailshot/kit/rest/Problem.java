package io.mailshot.kit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail. {@code field} and {@code rule} name the first offending input; {@code errors}
 * lists every one when there are several.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String field,
        String rule,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field and the rule it breaks. */
    public record FieldError(String field, String rule, String message) {}

    /** The stable problem type URI for a slug such as {@code validation-failed}. */
    public static String type(String slug) {
        return "urn:mailshot:problem:" + slug;
    }
}
