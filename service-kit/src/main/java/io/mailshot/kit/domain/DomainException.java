package io.mailshot.kit.domain;

import java.util.List;

/**
 * A domain rule refused what was asked: unknown reference, wrong state, a field that breaks a rule, a dependency that
 * did not answer. It carries a stable problem {@code code}, the kind of refusal and the fields that broke a rule, and
 * no transport detail: the kit's {@code ProblemMappers} turns it into problem+json at the edge (the kind picks the
 * status there), so {@code service/} and {@code persistence/} never speak HTTP.
 */
public class DomainException extends RuntimeException {

    /** What kind of refusal this is; the edge decides how each is answered. */
    public enum Kind {
        /** The input cannot be read at all (unreadable or malformed body, unknown charset). */
        UNREADABLE,
        /** The input is well-formed but a field breaks a rule. */
        RULE_BROKEN,
        /** The thing named does not exist. */
        NOT_FOUND,
        /** The thing named is not in a state that allows the operation. */
        CONFLICT,
        /** The input is larger than the most that is accepted. */
        TOO_LARGE,
        /** The input is in a form that is not supported (a charset, a media type). */
        UNSUPPORTED,
        /** A service this one depends on could not answer; asking again may work. */
        UNAVAILABLE
    }

    /** One field that broke one rule. */
    public record Violation(String field, String rule, String message) {}

    private final Kind kind;
    private final String code;
    private final String title;
    private final List<Violation> violations;

    public DomainException(Kind kind, String code, String title, String detail, List<Violation> violations) {
        super(detail);
        this.kind = kind;
        this.code = code;
        this.title = title;
        this.violations = List.copyOf(violations);
    }

    /** A field breaks a rule. */
    public static DomainException invalid(String field, String rule, String detail) {
        return new DomainException(
                Kind.RULE_BROKEN,
                "validation-failed",
                "Invalid request",
                detail,
                List.of(new Violation(field, rule, detail)));
    }

    /** Several fields break rules; the first one is named as the field. */
    public static DomainException invalid(List<Violation> violations) {
        return new DomainException(
                Kind.RULE_BROKEN,
                "validation-failed",
                "Invalid request",
                violations.get(0).message(),
                violations);
    }

    /** The thing named does not exist. */
    public static DomainException notFound(String what, Object id) {
        return new DomainException(
                Kind.NOT_FOUND, "not-found", "Not found", what + " " + id + " does not exist", List.of());
    }

    /** The thing named is not in a state that allows the operation. */
    public static DomainException conflict(String field, String rule, String detail) {
        return new DomainException(
                Kind.CONFLICT, "conflict", "Conflict", detail, List.of(new Violation(field, rule, detail)));
    }

    /** The input could not be read: {@code code} says how, such as {@code body-unreadable}. */
    public static DomainException unreadable(String code, String title, String field, String rule, String detail) {
        return new DomainException(
                Kind.UNREADABLE,
                code,
                title,
                detail,
                field == null ? List.of() : List.of(new Violation(field, rule, detail)));
    }

    /** A service this one depends on could not answer; the request can be retried. */
    public static DomainException unavailable(String detail) {
        return new DomainException(
                Kind.UNAVAILABLE, "dependency-unavailable", "Dependency unavailable", detail, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<Violation> violations() {
        return violations;
    }
}
