package io.mailshot.audience.service.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.audience.service.filter.FilterException.Kind;
import io.mailshot.audience.service.filter.FilterNode.And;
import io.mailshot.audience.service.filter.FilterNode.Bool;
import io.mailshot.audience.service.filter.FilterNode.Comparison;
import io.mailshot.audience.service.filter.FilterNode.DurationUnit;
import io.mailshot.audience.service.filter.FilterNode.Literal;
import io.mailshot.audience.service.filter.FilterNode.Not;
import io.mailshot.audience.service.filter.FilterNode.Now;
import io.mailshot.audience.service.filter.FilterNode.Number;
import io.mailshot.audience.service.filter.FilterNode.Or;
import io.mailshot.audience.service.filter.FilterNode.Text;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON forms of a filter. Reads all three accepted shapes: a text filter (a JSON string), the JSON AST
 * ({@code {"and": [...]}}, {@code {"or": [...]}}, {@code {"not": {...}}},
 * {@code {"path", "op", "value" | "values"}}) and the original list of conditions (ANDed). Writes the
 * canonical AST and the canonical text.
 */
public final class FilterJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> CONDITION_KEYS = Set.of("path", "op", "value", "values");
    private static final Pattern SHIFT = Pattern.compile("^([+-])?([0-9]{1,5})(y|mo|w|d|h)$");

    private FilterJson() {}

    /** Reads a submitted filter; null or an empty list targets every profile. */
    public static FilterNode read(JsonNode filter, FilterLimits limits) {
        if (filter == null || filter.isNull()) {
            return new And(List.of());
        }
        if (filter.isTextual()) {
            return FilterParser.parse(filter.textValue(), limits);
        }
        int[] conditions = {0};
        if (filter.isArray()) {
            List<FilterNode> all = new ArrayList<>();
            for (int i = 0; i < filter.size(); i++) {
                all.add(condition(filter.get(i), "filter[" + i + "]", limits, conditions));
            }
            return new And(all);
        }
        if (filter.isObject()) {
            return node(filter, "filter", 1, limits, conditions);
        }
        throw new FilterException(
                Kind.MALFORMED,
                "filter",
                "type",
                0,
                "filter must be a text filter (string), a JSON filter (object) or a list of conditions");
    }

    private static FilterNode node(JsonNode json, String field, int depth, FilterLimits limits, int[] conditions) {
        if (depth > limits.maxDepth()) {
            throw new FilterException(
                    Kind.RULE_BROKEN,
                    field,
                    "max-depth",
                    0,
                    field + ": filters nest at most " + limits.maxDepth() + " levels deep");
        }
        if (json == null || !json.isObject()) {
            throw new FilterException(Kind.MALFORMED, field, "type", 0, field + " must be an object");
        }
        for (String group : List.of("and", "or")) {
            if (json.has(group)) {
                only(json, group, field);
                JsonNode children = json.get(group);
                if (!children.isArray() || children.isEmpty()) {
                    throw new FilterException(
                            Kind.RULE_BROKEN,
                            field + "." + group,
                            "required",
                            0,
                            field + "." + group + " must be a non-empty array");
                }
                List<FilterNode> nodes = new ArrayList<>();
                for (int i = 0; i < children.size(); i++) {
                    nodes.add(
                            node(children.get(i), field + "." + group + "[" + i + "]", depth + 1, limits, conditions));
                }
                return group.equals("and") ? new And(nodes) : new Or(nodes);
            }
        }
        if (json.has("not")) {
            only(json, "not", field);
            return new Not(node(json.get("not"), field + ".not", depth + 1, limits, conditions));
        }
        return condition(json, field, limits, conditions);
    }

    private static void only(JsonNode json, String key, String field) {
        if (json.size() != 1) {
            throw new FilterException(
                    Kind.MALFORMED, field, "known-field", 0, field + " must have \"" + key + "\" as its only member");
        }
    }

    private static Comparison condition(JsonNode json, String field, FilterLimits limits, int[] conditions) {
        if (json == null || !json.isObject()) {
            throw new FilterException(Kind.MALFORMED, field, "type", 0, field + " must be an object");
        }
        if (++conditions[0] > limits.maxConditions()) {
            throw new FilterException(
                    Kind.RULE_BROKEN,
                    "filter",
                    "max-conditions",
                    0,
                    "filter has more than " + limits.maxConditions() + " conditions");
        }
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!CONDITION_KEYS.contains(name)) {
                throw new FilterException(
                        Kind.MALFORMED,
                        field,
                        "known-field",
                        0,
                        field + " has an unknown member; expected" + " path, op, value or values (or and, or, not)");
            }
        }
        JsonNode op = json.get("op");
        if (op == null || op.isNull()) {
            throw new FilterException(Kind.MALFORMED, field + ".op", "required", 0, field + ".op is required");
        }
        FilterOperator operator = op.isTextual() ? FilterOperator.of(op.textValue()) : null;
        if (operator == null) {
            throw new FilterException(
                    Kind.MALFORMED,
                    field + ".op",
                    "enum",
                    0,
                    field + ".op must be one of " + FilterOperator.spellings());
        }
        JsonNode path = json.get("path");
        if (path == null || path.isNull()) {
            throw new FilterException(Kind.MALFORMED, field + ".path", "NotNull", 0, field + ".path is required");
        }
        JsonNode value = json.get("value");
        JsonNode values = json.get("values");
        boolean hasValue = value != null && !value.isNull();
        boolean hasValues = values != null && !values.isNull();
        List<Literal> literals = new ArrayList<>();
        if (operator == FilterOperator.IN) {
            if (hasValue) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".value",
                        "not-allowed",
                        0,
                        field + ".value is not allowed with op in; use values");
            }
            if (!hasValues || !values.isArray() || values.isEmpty()) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".values",
                        "required",
                        0,
                        field + ".values must list at least one value");
            }
            if (values.size() > limits.maxValues()) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".values",
                        "max-values",
                        0,
                        field + ".values has more than " + limits.maxValues() + " values");
            }
            for (int j = 0; j < values.size(); j++) {
                literals.add(literal(values.get(j), field + ".values[" + j + "]"));
            }
        } else if (operator == FilterOperator.EXISTS || operator == FilterOperator.MISSING) {
            if (hasValue || hasValues) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".value",
                        "not-allowed",
                        0,
                        "op " + operator.symbol() + " takes no value");
            }
        } else {
            if (hasValues) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".values",
                        "not-allowed",
                        0,
                        field + ".values is not allowed with op " + operator.symbol() + "; use value");
            }
            if (!hasValue) {
                throw new FilterException(
                        Kind.RULE_BROKEN, field + ".value", "required", 0, field + ".value is required");
            }
            literals.add(literal(value, field + ".value"));
        }
        return FilterRules.comparison(path.isTextual() ? path.textValue() : null, operator, literals, limits, field, 0);
    }

    private static Literal literal(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            throw new FilterException(Kind.RULE_BROKEN, field, "required", 0, field + " is required");
        }
        if (v.isTextual()) {
            return new Text(v.textValue());
        }
        if (v.isNumber()) {
            return new Number(v.decimalValue());
        }
        if (v.isBoolean()) {
            return new Bool(v.booleanValue());
        }
        if (v.isObject() && v.size() == 1 && v.has("now")) {
            JsonNode shift = v.get("now");
            if (!shift.isTextual()) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".now",
                        "pattern",
                        0,
                        field + ".now must be a shift such as \"-18y\", \"+1d\" or \"\" (now itself)");
            }
            if (shift.textValue().isEmpty()) {
                return new Now(0, DurationUnit.DAYS);
            }
            Matcher m = SHIFT.matcher(shift.textValue());
            if (!m.matches()) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".now",
                        "pattern",
                        0,
                        field + ".now must be a shift such as \"-18y\", \"+1d\", \"-6mo\", \"2w\", \"12h\" or \"\"");
            }
            int amount = Integer.parseInt(m.group(2));
            if (amount > FilterRules.MAX_SHIFT) {
                throw new FilterException(
                        Kind.RULE_BROKEN,
                        field + ".now",
                        "range",
                        0,
                        field + ".now must shift by at most " + FilterRules.MAX_SHIFT + " units");
            }
            return new Now("-".equals(m.group(1)) ? -amount : amount, DurationUnit.ofSuffix(m.group(3)));
        }
        throw new FilterException(
                Kind.RULE_BROKEN,
                field,
                "scalar",
                0,
                field + " must be a string, number, boolean or {\"now\": \"-18y\"}");
    }

    /** The canonical JSON AST of a filter. */
    public static JsonNode write(FilterNode node) {
        if (node instanceof And and) {
            ObjectNode o = NODES.objectNode();
            ArrayNode children = o.putArray("and");
            and.children().forEach(c -> children.add(write(c)));
            return o;
        }
        if (node instanceof Or or) {
            ObjectNode o = NODES.objectNode();
            ArrayNode children = o.putArray("or");
            or.children().forEach(c -> children.add(write(c)));
            return o;
        }
        if (node instanceof Not not) {
            ObjectNode o = NODES.objectNode();
            o.set("not", write(not.child()));
            return o;
        }
        Comparison c = (Comparison) node;
        ObjectNode o = NODES.objectNode();
        o.put("path", c.path());
        o.put("op", c.op().symbol());
        if (c.op() == FilterOperator.IN) {
            ArrayNode values = o.putArray("values");
            c.values().forEach(v -> values.add(write(v)));
        } else if (!c.values().isEmpty()) {
            o.set("value", write(c.values().get(0)));
        }
        return o;
    }

    private static JsonNode write(Literal v) {
        if (v instanceof Text t) {
            return NODES.textNode(t.value());
        }
        if (v instanceof Number n) {
            return NODES.numberNode(n.value());
        }
        if (v instanceof Bool b) {
            return NODES.booleanNode(b.value());
        }
        Now now = (Now) v;
        ObjectNode o = NODES.objectNode();
        o.put("now", shift(now));
        return o;
    }

    private static String shift(Now now) {
        if (now.amount() == 0) {
            return "";
        }
        return (now.amount() < 0 ? "-" : "+")
                + Math.abs(now.amount())
                + now.unit().suffix();
    }

    /** The canonical text form; parsing it gives the same tree back. */
    public static String text(FilterNode node) {
        StringBuilder b = new StringBuilder();
        text(node, b, false);
        return b.toString();
    }

    private static void text(FilterNode node, StringBuilder b, boolean nested) {
        if (node instanceof And and) {
            if (and.children().isEmpty()) {
                return; // the empty filter: every profile
            }
            group(and.children(), " and ", b, nested && and.children().size() > 1);
        } else if (node instanceof Or or) {
            group(or.children(), " or ", b, nested && or.children().size() > 1);
        } else if (node instanceof Not not) {
            b.append("not ");
            boolean parens = !(not.child() instanceof Not);
            if (parens) {
                b.append('(');
            }
            text(not.child(), b, false);
            if (parens) {
                b.append(')');
            }
        } else {
            Comparison c = (Comparison) node;
            b.append(c.path()).append(' ').append(c.op().symbol());
            if (c.op() == FilterOperator.IN) {
                b.append(" (");
                for (int i = 0; i < c.values().size(); i++) {
                    if (i > 0) {
                        b.append(", ");
                    }
                    literal(c.values().get(i), b);
                }
                b.append(')');
            } else if (!c.values().isEmpty()) {
                b.append(' ');
                literal(c.values().get(0), b);
            }
        }
    }

    private static void group(List<FilterNode> children, String joiner, StringBuilder b, boolean parens) {
        if (parens) {
            b.append('(');
        }
        for (int i = 0; i < children.size(); i++) {
            if (i > 0) {
                b.append(joiner);
            }
            text(children.get(i), b, true);
        }
        if (parens) {
            b.append(')');
        }
    }

    private static void literal(Literal v, StringBuilder b) {
        if (v instanceof Text t) {
            b.append('"');
            for (char ch : t.value().toCharArray()) {
                switch (ch) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (Character.isISOControl(ch)) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
            b.append('"');
        } else if (v instanceof Number n) {
            // The text syntax writes negative numbers as '-' then the digits; no exponents.
            b.append(n.value().toPlainString());
        } else if (v instanceof Bool bool) {
            b.append(bool.value());
        } else {
            Now now = (Now) v;
            b.append("now");
            if (now.amount() != 0) {
                b.append(now.amount() < 0 ? " - " : " + ")
                        .append(Math.abs(now.amount()))
                        .append(now.unit().suffix());
            }
        }
    }
}
