package io.mailshot.kit.rest;

import io.mailshot.kit.domain.DomainException;
import java.util.List;

/**
 * A refusal the API explains: it becomes a problem+json response with its status, type, field and rule. Thrown
 * by the web layer ({@code rest/}, filters); the domain throws {@link DomainException}, answered through
 * {@link #of(DomainException)}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ApiException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 422: the request is well-formed but a field breaks a rule. */
    public static ApiException invalid(String field, String rule, String detail) {
        return new ApiException(
                422,
                "validation-failed",
                "Invalid request",
                detail,
                List.of(new Problem.FieldError(field, rule, detail)));
    }

    /** 404: the resource named in the path does not exist. */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "not-found", "Not found", what + " " + id + " does not exist", List.of());
    }

    /** 409: the resource is not in a state that allows the operation. */
    public static ApiException conflict(String field, String rule, String detail) {
        return new ApiException(
                409, "conflict", "Conflict", detail, List.of(new Problem.FieldError(field, rule, detail)));
    }

    /** 413: the request body is larger than {@code limit} bytes, the most the endpoint accepts. */
    public static ApiException tooLarge(long limit) {
        String detail =
                "the request body is larger than " + BodyLimits.describe(limit) + ", the most this endpoint accepts";
        return new ApiException(
                413,
                "body-too-large",
                "Request body too large",
                detail,
                List.of(new Problem.FieldError("body", "max-body-size", detail)));
    }

    /** 400: a path, query or header parameter is not of its type or holds text that cannot be stored. */
    public static ApiException badParameter(String name, String rule, String detail) {
        return new ApiException(
                400,
                "invalid-parameter",
                "Invalid request parameter",
                detail,
                List.of(new Problem.FieldError(name, rule, detail)));
    }

    /** 503: a service this one depends on could not answer; the request can be retried. */
    public static ApiException unavailable(String detail) {
        return new ApiException(503, "dependency-unavailable", "Dependency unavailable", detail, List.of());
    }

    /** How the edge answers a domain refusal: the kind picks the status, the rest is the domain's own words. */
    public static ApiException of(DomainException e) {
        int status = switch (e.kind()) {
            case UNREADABLE -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED -> 415;
            case RULE_BROKEN -> 422;
            case UNAVAILABLE -> 503;
        };
        return new ApiException(
                status,
                e.code(),
                e.title(),
                e.getMessage(),
                e.violations().stream()
                        .map(v -> new Problem.FieldError(v.field(), v.rule(), v.message()))
                        .toList());
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
