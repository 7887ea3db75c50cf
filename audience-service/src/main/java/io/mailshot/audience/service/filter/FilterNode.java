package io.mailshot.audience.service.filter;

import java.math.BigDecimal;
import java.util.List;

/** The abstract syntax tree of an audience filter, shared by the text syntax and the JSON form. */
public sealed interface FilterNode {

    /** Every child holds; an empty list holds for every profile. */
    record And(List<FilterNode> children) implements FilterNode {
        public And {
            children = List.copyOf(children);
        }
    }

    /** At least one child holds. */
    record Or(List<FilterNode> children) implements FilterNode {
        public Or {
            children = List.copyOf(children);
        }
    }

    /** The child does not hold (a comparison on a missing value does not hold, so {@code not} of it does). */
    record Not(FilterNode child) implements FilterNode {}

    /** One comparison of the value at {@code path}; {@code values} has the operands the op needs. */
    record Comparison(String path, FilterOperator op, List<Literal> values) implements FilterNode {
        public Comparison {
            values = List.copyOf(values);
        }
    }

    /** A literal operand. */
    sealed interface Literal {}

    /** A string, compared as text. */
    record Text(String value) implements Literal {}

    /** A number: compared numerically with numeric profile values, as text otherwise. */
    record Number(BigDecimal value) implements Literal {}

    /** true or false, compared with the JSON text {@code true}/{@code false}. */
    record Bool(boolean value) implements Literal {}

    /** {@code now}, optionally shifted: {@code now - 18y} is {@code Now(-18, YEARS)}. */
    record Now(int amount, DurationUnit unit) implements Literal {}

    /** Units of a relative date, with their suffix in the text syntax and their PostgreSQL interval word. */
    enum DurationUnit {
        YEARS("y", "years"),
        MONTHS("mo", "months"),
        WEEKS("w", "weeks"),
        DAYS("d", "days"),
        HOURS("h", "hours");

        private final String suffix;
        private final String sql;

        DurationUnit(String suffix, String sql) {
            this.suffix = suffix;
            this.sql = sql;
        }

        public String suffix() {
            return suffix;
        }

        /** The word PostgreSQL's interval input understands. */
        public String sql() {
            return sql;
        }

        public static DurationUnit ofSuffix(String suffix) {
            for (DurationUnit u : values()) {
                if (u.suffix.equals(suffix)) {
                    return u;
                }
            }
            return null;
        }
    }
}
