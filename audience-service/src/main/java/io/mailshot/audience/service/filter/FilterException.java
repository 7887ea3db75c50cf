package io.mailshot.audience.service.filter;

/**
 * A filter that cannot be accepted. {@code field} names the offending part (e.g. {@code filter},
 * {@code filter.and[1].path}); {@code position} is the 1-based character position in a text filter, or 0.
 * Messages never quote more than the offending token.
 */
public class FilterException extends RuntimeException {

    /** What is wrong with the filter. */
    public enum Kind {
        /** It cannot be read: syntax, an unknown operator or member, a path that is not a path, a wrong type. */
        MALFORMED,
        /** It reads, but breaks a rule: a limit, a missing or unexpected value, a value out of range. */
        RULE_BROKEN
    }

    private final Kind kind;
    private final String field;
    private final String rule;
    private final int position;

    public FilterException(Kind kind, String field, String rule, int position, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.rule = rule;
        this.position = position;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }

    public int position() {
        return position;
    }
}
