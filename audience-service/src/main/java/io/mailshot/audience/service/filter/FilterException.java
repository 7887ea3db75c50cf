package io.mailshot.audience.service.filter;

/**
 * A filter that cannot be accepted. {@code field} names the offending part (e.g. {@code filter},
 * {@code filter.and[1].path}); {@code position} is the 1-based character position in a text filter, or 0.
 * Messages never quote more than the offending token.
 */
public class FilterException extends RuntimeException {

    private final int status;
    private final String field;
    private final String rule;
    private final int position;

    public FilterException(int status, String field, String rule, int position, String message) {
        super(message);
        this.status = status;
        this.field = field;
        this.rule = rule;
        this.position = position;
    }

    /** 400 for malformed filters (syntax, unknown operator, bad path), 422 for broken rules and limits. */
    public int status() {
        return status;
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
