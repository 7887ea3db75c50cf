package io.mailshot.audience.persistence;

import io.mailshot.audience.service.filter.FilterNode;
import io.mailshot.audience.service.filter.FilterNode.And;
import io.mailshot.audience.service.filter.FilterNode.Bool;
import io.mailshot.audience.service.filter.FilterNode.Comparison;
import io.mailshot.audience.service.filter.FilterNode.Literal;
import io.mailshot.audience.service.filter.FilterNode.Not;
import io.mailshot.audience.service.filter.FilterNode.Now;
import io.mailshot.audience.service.filter.FilterNode.Number;
import io.mailshot.audience.service.filter.FilterNode.Or;
import io.mailshot.audience.service.filter.FilterNode.Text;
import io.mailshot.audience.service.filter.FilterOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a filter tree to a SQL predicate over {@code profile.doc}. The SQL text is assembled only from the
 * fixed fragments below; every path and value is a bind parameter. Every comparison yields true or false,
 * never NULL, so {@code not} of a comparison on a missing value holds (like {@code !=}).
 */
public final class FilterCompiler {

    /** A JSON text that PostgreSQL can cast to numeric. No '?' in it: the JDBC driver must not see a parameter. */
    static final String NUMERIC = "'^-{0,1}[0-9]+([.][0-9]+){0,1}([eE][+-]{0,1}[0-9]{1,3}){0,1}$'";

    private static final String VALUE = "(doc #>> ?::text[])";
    private static final String JSON = "(doc #> ?::text[])";

    private FilterCompiler() {}

    public static CompiledFilter compile(FilterNode node) {
        List<Object> params = new ArrayList<>();
        String sql = sql(node, params);
        return new CompiledFilter(sql, params);
    }

    private static String sql(FilterNode node, List<Object> params) {
        if (node instanceof And and) {
            return group(and.children(), " and ", "true", params);
        }
        if (node instanceof Or or) {
            return group(or.children(), " or ", "false", params);
        }
        if (node instanceof Not not) {
            return "(not " + sql(not.child(), params) + ")";
        }
        return comparison((Comparison) node, params);
    }

    private static String group(List<FilterNode> children, String joiner, String empty, List<Object> params) {
        if (children.isEmpty()) {
            return empty;
        }
        List<String> parts = new ArrayList<>();
        for (FilterNode child : children) {
            parts.add(sql(child, params));
        }
        return "(" + String.join(joiner, parts) + ")";
    }

    private static String comparison(Comparison c, List<Object> params) {
        String[] path = AttributePath.segments(c.path());
        FilterOperator op = c.op();
        return switch (op) {
            case EXISTS -> {
                params.add(path);
                yield "(" + VALUE + " is not null)";
            }
            case MISSING -> {
                params.add(path);
                yield "(" + VALUE + " is null)";
            }
            case EQ -> compare("=", path, c.values().get(0), params);
            // Missing counts as not equal: the negation of a never-NULL equality.
            case NEQ -> "(not " + compare("=", path, c.values().get(0), params) + ")";
            case LT -> compare("<", path, c.values().get(0), params);
            case LE -> compare("<=", path, c.values().get(0), params);
            case GT -> compare(">", path, c.values().get(0), params);
            case GE -> compare(">=", path, c.values().get(0), params);
            case IN -> in(path, c.values(), params);
            case CONTAINS -> {
                Literal v = c.values().get(0);
                // An array contains the value as an element; a text contains it as a substring.
                params.add(path);
                params.add(path);
                params.add(jsonArrayOf(v));
                params.add(path);
                params.add(text(v));
                yield "coalesce(case when jsonb_typeof(" + JSON + ") = 'array' then " + JSON + " @> ?::jsonb"
                        + " else strpos(" + VALUE + ", ?) > 0 end, false)";
            }
            case STARTS_WITH -> {
                params.add(path);
                params.add(text(c.values().get(0)));
                yield "coalesce(starts_with(" + VALUE + ", ?), false)";
            }
        };
    }

    /** {@code op} is one of = &lt; &lt;= &gt; &gt;= (a fixed fragment chosen by the operator enum). */
    private static String compare(String op, String[] path, Literal v, List<Object> params) {
        if (v instanceof Now now) {
            params.add(path);
            params.add(now.amount() + " " + now.unit().sql());
            return "coalesce(mailshot_try_timestamptz(" + VALUE + ") " + op + " (now() + ?::interval), false)";
        }
        if (v instanceof Number n) {
            // Numerically when the stored value is a number, as text otherwise; CASE guarantees the cast is
            // only attempted on numeric text.
            params.add(path);
            params.add(path);
            params.add(n.value().toPlainString());
            params.add(path);
            params.add(n.value().toPlainString());
            return "coalesce(case when " + VALUE + " ~ " + NUMERIC + " then " + VALUE + "::numeric " + op
                    + " ?::numeric else " + VALUE + " " + op + " ? end, false)";
        }
        params.add(path);
        params.add(text(v));
        return "coalesce(" + VALUE + " " + op + " ?, false)";
    }

    private static String in(String[] path, List<Literal> values, List<Object> params) {
        List<String> texts = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        for (Literal v : values) {
            texts.add(text(v));
            if (v instanceof Number n) {
                numbers.add(n.value().toPlainString());
            }
        }
        params.add(path);
        params.add(texts.toArray(String[]::new));
        if (numbers.isEmpty()) {
            return "coalesce(" + VALUE + " = any (?::text[]), false)";
        }
        params.add(path);
        params.add(path);
        params.add(numbers.toArray(String[]::new));
        return "coalesce(" + VALUE + " = any (?::text[]) or case when " + VALUE + " ~ " + NUMERIC + " then " + VALUE
                + "::numeric = any (?::numeric[]) else false end, false)";
    }

    /** The literal as the text {@code #>>} would give for it. */
    static String text(Literal v) {
        if (v instanceof Text t) {
            return t.value();
        }
        if (v instanceof Number n) {
            return n.value().toPlainString();
        }
        if (v instanceof Bool b) {
            return String.valueOf(b.value());
        }
        throw new IllegalArgumentException("now has no text form");
    }

    /** A one-element JSON array holding the literal, for jsonb containment. */
    static String jsonArrayOf(Literal v) {
        if (v instanceof Text t) {
            StringBuilder b = new StringBuilder("[\"");
            for (char ch : t.value().toCharArray()) {
                if (ch == '"' || ch == '\\') {
                    b.append('\\').append(ch);
                } else if (ch < 0x20) {
                    b.append(String.format("\\u%04x", (int) ch));
                } else {
                    b.append(ch);
                }
            }
            return b.append("\"]").toString();
        }
        return "[" + text(v) + "]";
    }
}
