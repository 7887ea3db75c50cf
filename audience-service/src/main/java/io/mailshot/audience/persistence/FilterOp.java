package io.mailshot.audience.persistence;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The comparison of one audience filter condition. */
public enum FilterOp {
    /** The value at the path equals {@code value}. */
    @JsonProperty("eq")
    EQ("eq"),
    /** The value at the path is missing or differs from {@code value}. */
    @JsonProperty("neq")
    NEQ("neq"),
    /** The value at the path is one of {@code values}. */
    @JsonProperty("in")
    IN("in"),
    /** The path holds a non-null value. */
    @JsonProperty("exists")
    EXISTS("exists"),
    /** The path is absent or null. */
    @JsonProperty("missing")
    MISSING("missing");

    private final String json;

    FilterOp(String json) {
        this.json = json;
    }

    /** The JSON name, also used in error messages listing the allowed ops. */
    @Override
    public String toString() {
        return json;
    }
}
