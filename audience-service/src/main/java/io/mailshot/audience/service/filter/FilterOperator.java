package io.mailshot.audience.service.filter;

import java.util.Locale;

/** The comparison operators of a filter, with their text-syntax symbol and JSON alias. */
public enum FilterOperator {
    EQ("=", "eq"),
    NEQ("!=", "neq"),
    LT("<", "lt"),
    LE("<=", "lte"),
    GT(">", "gt"),
    GE(">=", "gte"),
    IN("in", "in"),
    CONTAINS("contains", "contains"),
    STARTS_WITH("startsWith", "startswith"),
    EXISTS("exists", "exists"),
    MISSING("missing", "missing");

    private final String symbol;
    private final String alias;

    FilterOperator(String symbol, String alias) {
        this.symbol = symbol;
        this.alias = alias;
    }

    /** How the text syntax and the canonical JSON form write the operator. */
    public String symbol() {
        return symbol;
    }

    /** True for the ordering comparisons {@code < <= > >=}. */
    public boolean ordering() {
        return this == LT || this == LE || this == GT || this == GE;
    }

    /** The operator written as a symbol ({@code >=}) or a word ({@code gte}, {@code startsWith}); null if unknown. */
    public static FilterOperator of(String text) {
        if (text == null) {
            return null;
        }
        for (FilterOperator op : values()) {
            if (op.symbol.equals(text) || op.alias.equals(text.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        return null;
    }

    /** Every accepted spelling, for error messages. */
    public static String spellings() {
        return "=, !=, <, <=, >, >=, eq, neq, lt, lte, gt, gte, in, contains, startsWith, exists, missing";
    }
}
