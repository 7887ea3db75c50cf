package io.mailshot.audience.service.filter;

import io.mailshot.audience.persistence.AttributePath;
import io.mailshot.audience.service.filter.FilterException.Kind;
import io.mailshot.audience.service.filter.FilterNode.Bool;
import io.mailshot.audience.service.filter.FilterNode.Comparison;
import io.mailshot.audience.service.filter.FilterNode.Literal;
import io.mailshot.audience.service.filter.FilterNode.Now;
import java.util.List;

/** The operand rules every comparison obeys, whichever syntax it came from. */
final class FilterRules {

    /** Longest accepted shift of {@code now} in any unit: keeps the interval well inside PostgreSQL's range. */
    static final int MAX_SHIFT = 10_000;

    private FilterRules() {}

    /**
     * Builds a checked comparison.
     *
     * @param field where errors point, e.g. {@code filter} or {@code filter.and[0]}
     * @param position 1-based text position of the comparison, or 0
     */
    static Comparison comparison(
            String path, FilterOperator op, List<Literal> values, FilterLimits limits, String field, int position) {
        if (!AttributePath.isValid(path)) {
            throw new FilterException(
                    Kind.MALFORMED,
                    field + pathSuffix(position),
                    "Pattern",
                    position,
                    at(position) + "a path must be dotted segments of letters, digits and underscores, each"
                            + " starting with a letter, at most 16 segments");
        }
        String opName = op.symbol();
        switch (op) {
            case EXISTS, MISSING -> {
                if (!values.isEmpty()) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, false),
                            "not-allowed",
                            position,
                            at(position) + "op " + opName + " takes no value");
                }
            }
            case IN -> {
                if (values.isEmpty()) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, true),
                            "required",
                            position,
                            at(position) + "in needs at least one value");
                }
                if (values.size() > limits.maxValues()) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, true),
                            "max-values",
                            position,
                            at(position) + "in has more than " + limits.maxValues() + " values");
                }
                for (Literal v : values) {
                    if (v instanceof Now) {
                        throw new FilterException(
                                Kind.RULE_BROKEN,
                                field + valueSuffix(position, true),
                                "type",
                                position,
                                at(position) + "in takes strings, numbers or booleans, not now");
                    }
                }
            }
            default -> {
                if (values.size() != 1) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, false),
                            "required",
                            position,
                            at(position) + "op " + opName + " needs exactly one value");
                }
                Literal v = values.get(0);
                if (v instanceof Now && (op == FilterOperator.CONTAINS || op == FilterOperator.STARTS_WITH)) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, false),
                            "type",
                            position,
                            at(position) + opName + " cannot take now");
                }
                if (v instanceof Bool && op.ordering()) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, false),
                            "type",
                            position,
                            at(position) + opName + " cannot compare with a boolean");
                }
                if (v instanceof Now now && Math.abs((long) now.amount()) > MAX_SHIFT) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + valueSuffix(position, false),
                            "range",
                            position,
                            at(position) + "a shift of now must be at most " + MAX_SHIFT + " units");
                }
            }
        }
        return new Comparison(path, op, values);
    }

    static String at(int position) {
        return position > 0 ? "position " + position + ": " : "";
    }

    // In the JSON form errors point at the condition's member; in the text form at the whole filter.
    // (A text filter always has a position from 1; the JSON form has none.)
    private static String pathSuffix(int position) {
        return position > 0 ? "" : ".path";
    }

    private static String valueSuffix(int position, boolean plural) {
        return position > 0 ? "" : plural ? ".values" : ".value";
    }
}
