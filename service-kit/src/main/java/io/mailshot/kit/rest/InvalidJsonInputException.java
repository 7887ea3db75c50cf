package io.mailshot.kit.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;

/**
 * A request body that is well-formed JSON but breaks a rule the parser checks itself (text that cannot be stored,
 * a member given twice), with the path of the offending field.
 */
public class InvalidJsonInputException extends JsonParseException {

    private final String field;
    private final String rule;
    private final String detail;

    public InvalidJsonInputException(JsonParser parser, String field, String rule, String detail) {
        super(parser, detail);
        this.field = field;
        this.rule = rule;
        this.detail = detail;
    }

    /** The dotted path of the field, such as {@code file.columns[0].label}; empty for the body itself. */
    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }

    public String detail() {
        return detail;
    }
}
