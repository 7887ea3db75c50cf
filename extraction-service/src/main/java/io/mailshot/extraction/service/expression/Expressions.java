package io.mailshot.extraction.service.expression;

import io.mailshot.extraction.service.expression.Nodes.Bool;
import io.mailshot.extraction.service.expression.Nodes.Int;
import io.mailshot.extraction.service.expression.Nodes.Literal;
import io.mailshot.extraction.service.expression.Nodes.Node;
import io.mailshot.extraction.service.expression.Nodes.Path;
import io.mailshot.extraction.service.expression.Nodes.Str;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Parses and type-checks personalisation expressions.
 *
 * <p>Grammar: {@code expr := STRING | INTEGER | path | name '(' [expr (',' expr)*] ')'}, where a path is
 * dotted identifiers ({@code person.name.lastName}, {@code const.x}, {@code campaign.name}, {@code run.date}),
 * strings are single- or double-quoted with backslash escapes. Everything is resolved at compile time:
 * function names, arities, argument types, format patterns, paths and the worst-case work per row
 * ({@link #MAX_COST}). Evaluating a row can only break a value bound (a value longer than 4096 characters, a
 * number too long to read), which rejects that row with {@link ExpressionLimitException}, never more.
 */
public final class Expressions {

    /** Longest accepted expression text. */
    public static final int MAX_LENGTH = 2000;

    private static final int MAX_DEPTH = 32;
    /**
     * Most work an expression may take per row, in characters read or written in the worst case (every value
     * read at its longest): as much as reading and writing 16 values of the longest length. Checked when the
     * expression is compiled, so a run, a preview or a check knows its cost per cell before the first row.
     */
    public static final long MAX_COST = 32L * Nodes.MAX_VALUE;

    private static final int MAX_ARGS = 16;

    private final String text;
    private final ExpressionContext context;
    private final Set<String> paths = new LinkedHashSet<>();
    private int pos;
    private int depth;

    private Expressions(String text, ExpressionContext context) {
        this.text = text;
        this.context = context;
    }

    /** Compiles {@code text} against a run's context; throws with the position of the first problem. */
    public static CompiledExpression compile(String text, ExpressionContext context) throws ExpressionException {
        if (text == null || text.isBlank()) {
            throw new ExpressionException(0, "the expression is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new ExpressionException(MAX_LENGTH, "the expression is longer than " + MAX_LENGTH + " characters");
        }
        Expressions parser = new Expressions(text, context);
        Node root = parser.expression();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw new ExpressionException(
                    parser.pos, "unexpected '" + text.charAt(parser.pos) + "' after the expression");
        }
        if (!(root instanceof Str str)) {
            throw new ExpressionException(root.position(), "a condition is only allowed as the first argument of if");
        }
        return new CompiledExpression(text, str, new ArrayList<>(parser.paths));
    }

    /** Validates {@code text} without a run: any attribute path and constant is accepted. */
    public static CompiledExpression check(String text) throws ExpressionException {
        return compile(text, ExpressionContext.checking());
    }

    // ---- parsing ----

    private Node expression() throws ExpressionException {
        skipSpace();
        if (pos >= text.length()) {
            throw new ExpressionException(pos, "an expression is missing");
        }
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            return string(c);
        }
        if (c >= '0' && c <= '9') {
            return integer();
        }
        if (isIdentStart(c)) {
            int start = pos;
            String name = dotted();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '(') {
                return call(name, start);
            }
            return path(name, start);
        }
        throw new ExpressionException(pos, "unexpected '" + c + "'");
    }

    private Node string(char quote) throws ExpressionException {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return new Literal(start, value.toString());
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case '\\', '"', '\'' -> value.append(e);
                    default -> throw new ExpressionException(pos - 2, "unknown escape '\\" + e + "'");
                }
            } else {
                value.append(c);
            }
        }
        throw new ExpressionException(start, "unterminated string");
    }

    private Node integer() throws ExpressionException {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        String digits = text.substring(start, pos);
        if (digits.length() > 6) {
            throw new ExpressionException(start, "number too large: " + digits);
        }
        return new Int(start, Integer.parseInt(digits));
    }

    private String dotted() throws ExpressionException {
        int start = pos;
        while (true) {
            if (pos >= text.length() || !isIdentStart(text.charAt(pos))) {
                throw new ExpressionException(pos, "a name is expected");
            }
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
            } else {
                return text.substring(start, pos);
            }
        }
    }

    private Node path(String name, int start) throws ExpressionException {
        if (name.startsWith("const.")) {
            String key = name.substring("const.".length());
            if (context.constants() == null) {
                if (context.fields() != null) {
                    throw new ExpressionException(start, "unknown constant '" + key + "': the run defines none");
                }
                return value(start, name, null);
            }
            if (!context.constants().containsKey(key)) {
                throw new ExpressionException(start, "unknown constant '" + key + "'");
            }
            return value(start, name, context.constants().get(key));
        }
        if (name.equals("campaign") || name.startsWith("campaign.")) {
            return switch (name) {
                case "campaign.name" -> value(start, name, context.campaignName());
                case "campaign.id" -> value(start, name, context.campaignId());
                default ->
                    throw new ExpressionException(
                            start, "unknown campaign value '" + name + "' (campaign.name, campaign.id)");
            };
        }
        if (name.equals("run") || name.startsWith("run.")) {
            return switch (name) {
                case "run.id" -> value(start, name, context.runId());
                case "run.date" ->
                    value(
                            start,
                            name,
                            context.runDate() == null ? null : context.runDate().toString());
                default -> throw new ExpressionException(start, "unknown run value '" + name + "' (run.id, run.date)");
            };
        }
        int index = -1;
        if (context.fields() != null) {
            index = context.fields().indexOf(name);
            if (index < 0) {
                throw new ExpressionException(
                        start, "attribute path '" + name + "' is not carried by the profile stream");
            }
        }
        paths.add(name);
        return new Path(start, name, index);
    }

    /** A constant, campaign or run value: fixed for the run, but of any length up to the value bound. */
    private static Literal value(int start, String name, String value) throws ExpressionException {
        if (value != null && value.length() > Nodes.MAX_VALUE) {
            throw new ExpressionException(start, "'" + name + "' is longer than " + Nodes.MAX_VALUE + " characters");
        }
        return new Literal(start, value, Nodes.MAX_VALUE);
    }

    private Node call(String name, int start) throws ExpressionException {
        if (++depth > MAX_DEPTH) {
            throw new ExpressionException(start, "expressions nest at most " + MAX_DEPTH + " calls deep");
        }
        pos++; // '('
        List<Node> args = new ArrayList<>();
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ')') {
            pos++;
        } else {
            while (true) {
                if (args.size() == MAX_ARGS) {
                    throw new ExpressionException(pos, "at most " + MAX_ARGS + " arguments");
                }
                args.add(expression());
                skipSpace();
                if (pos >= text.length()) {
                    throw new ExpressionException(pos, "')' is missing for " + name + " at position " + start);
                }
                char c = text.charAt(pos);
                if (c == ',') {
                    pos++;
                } else if (c == ')') {
                    pos++;
                    break;
                } else {
                    throw new ExpressionException(pos, "',' or ')' expected");
                }
            }
        }
        depth--;
        Node node = Functions.apply(name, start, args, context);
        if (node.cost() > MAX_COST) {
            // The innermost call past the budget: its position is where the expression must get cheaper.
            throw new ExpressionException(
                    start,
                    name + " at this point could take up to " + node.cost()
                            + " units of work per row (a unit is about one character read or written), more than the "
                            + MAX_COST + " an expression may take: nest fewer calls, or shorten values early with"
                            + " truncate or substring");
        }
        return node;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** The built-in functions: arity, type and cost checks at compile time, then a tiny evaluator per call. */
    static final class Functions {

        /** Every function of the language (the conditions present and eq included). */
        static final Set<String> NAMES = Set.of(
                "upper",
                "lower",
                "capitalize",
                "trim",
                "default",
                "concat",
                "substring",
                "truncate",
                "padLeft",
                "padRight",
                "replace",
                "formatDate",
                "formatNumber",
                "if",
                "present",
                "eq");

        /** Longest number formatNumber reads: a longer one costs super-linear time to parse and print. */
        static final int MAX_NUMBER_LENGTH = 100;
        /** Fixed work of one call (dispatch, allocation), in the units of {@link Node#cost()}. */
        private static final int CALL_COST = 16;
        /**
         * Longest target replace looks for with {@link String#indexOf} (at most this many comparisons per
         * character of the value); longer ones use a linear-time search.
         */
        private static final int SHORT_TARGET = 4;
        /** Longest value upper-cased by the JDK without looking for lengthening characters first (names are short). */
        private static final int SHORT_CASE_MAPPING = 32;
        /** Characters a date pattern letter can print at most (a nano-of-day prints 14 for one letter). */
        private static final int DATE_CHARS_PER_PATTERN_CHAR = 32;

        private Functions() {}

        static Node apply(String name, int at, List<Node> args, ExpressionContext context) throws ExpressionException {
            switch (name) {
                case "upper": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    // Upper-casing can lengthen a text (ß → SS; at most three characters per character).
                    int max = capped(3L * s.maxLength());
                    return str(name, at, max, s.cost() + s.maxLength() + max, row -> {
                        String v = s.eval(row);
                        return v == null ? null : upper(v, at);
                    });
                }
                case "lower": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    int max = capped(2L * s.maxLength()); // only İ lengthens: to i and a combining dot
                    return str(name, at, max, s.cost() + s.maxLength() + max, row -> {
                        String v = s.eval(row);
                        return v == null ? null : lower(v, at);
                    });
                }
                case "capitalize": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    int max = capped(2L * s.maxLength());
                    return str(
                            name,
                            at,
                            max,
                            s.cost() + s.maxLength() + max,
                            row -> map(s.eval(row), Functions::capitalize));
                }
                case "trim": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return str(
                            name,
                            at,
                            s.maxLength(),
                            s.cost() + 2L * s.maxLength(),
                            row -> map(s.eval(row), String::strip));
                }
                case "default": {
                    Args a = arity(name, at, args, 2, 2);
                    Str s = a.str(0);
                    Str fallback = a.str(1);
                    return str(
                            name,
                            at,
                            Math.max(s.maxLength(), fallback.maxLength()),
                            s.cost() + fallback.cost() + s.maxLength(),
                            row -> {
                                String v = s.eval(row);
                                return v == null || v.isBlank() ? fallback.eval(row) : v;
                            });
                }
                case "concat": {
                    Args a = arity(name, at, args, 1, MAX_ARGS);
                    Str[] parts = new Str[args.size()];
                    long read = 0;
                    long cost = 0;
                    for (int i = 0; i < parts.length; i++) {
                        parts[i] = a.str(i);
                        read += parts[i].maxLength();
                        cost += parts[i].cost();
                    }
                    int max = capped(read);
                    return str(name, at, max, cost + read + max, row -> concat(parts, row, at));
                }
                case "substring": {
                    Args a = arity(name, at, args, 2, 3);
                    Str s = a.str(0);
                    int start = a.integer(1);
                    int end = args.size() == 3 ? a.integer(2) : Integer.MAX_VALUE;
                    if (end < start) {
                        throw new ExpressionException(args.get(2).position(), "substring's end is before its start");
                    }
                    int max = (int) Math.min(s.maxLength(), 2L * (end - (long) start));
                    return str(name, at, max, s.cost() + s.maxLength() + max, row -> {
                        String v = s.eval(row);
                        return v == null ? null : codePoints(v, start, end);
                    });
                }
                case "truncate": {
                    Args a = arity(name, at, args, 2, 2);
                    Str s = a.str(0);
                    int maxPoints = a.integer(1);
                    int max = (int) Math.min(s.maxLength(), 2L * maxPoints);
                    return str(name, at, max, s.cost() + s.maxLength() + max, row -> {
                        String v = s.eval(row);
                        return v == null ? null : codePoints(v, 0, maxPoints);
                    });
                }
                case "padLeft", "padRight": {
                    Args a = arity(name, at, args, 2, 3);
                    Str s = a.str(0);
                    int width = a.integer(1);
                    String pad = args.size() == 3 ? a.literal(2) : " ";
                    if (pad.codePointCount(0, pad.length()) != 1) {
                        throw new ExpressionException(args.get(2).position(), name + "'s pad must be one character");
                    }
                    if ((long) width * pad.length() > Nodes.MAX_VALUE) {
                        throw new ExpressionException(
                                args.get(1).position(),
                                name + "'s width times its pad's length" + " must be at most " + Nodes.MAX_VALUE
                                        + " characters");
                    }
                    boolean left = name.equals("padLeft");
                    int max = capped((long) s.maxLength() + (long) width * pad.length());
                    return str(
                            name,
                            at,
                            max,
                            s.cost() + s.maxLength() + max,
                            row -> pad(s.eval(row), width, pad, left, at));
                }
                case "replace": {
                    Args a = arity(name, at, args, 3, 3);
                    Str s = a.str(0);
                    Str target = a.str(1);
                    Str replacement = a.str(2);
                    // Known not to lengthen the value: a literal target replaced by a literal no longer than it.
                    boolean shrinks = target instanceof Literal t
                            && replacement instanceof Literal r
                            && t.value() != null
                            && r.value() != null
                            && r.value().length() <= t.value().length();
                    int max = shrinks ? s.maxLength() : Nodes.MAX_VALUE;
                    long in = s.maxLength();
                    long targetLength = target.maxLength();
                    long search =
                            targetLength <= SHORT_TARGET ? in * Math.max(targetLength, 1) : 2 * in + 2 * targetLength;
                    // A literal target's search table is built once, here, not per row.
                    String fixedTarget = target instanceof Literal t ? t.value() : null;
                    int[] fixedTable = fixedTarget != null && fixedTarget.length() > SHORT_TARGET
                            ? failureTable(fixedTarget)
                            : null;
                    return str(
                            name,
                            at,
                            max,
                            s.cost() + target.cost() + replacement.cost() + search + replacement.maxLength() + max,
                            row -> {
                                String v = s.eval(row);
                                if (v == null) {
                                    return null;
                                }
                                String t = target.eval(row);
                                if (t == null || t.isEmpty()) {
                                    return v; // a missing target replaces nothing
                                }
                                String r = replacement.eval(row);
                                int[] table = t == fixedTarget
                                        ? fixedTable
                                        : t.length() > SHORT_TARGET ? failureTable(t) : null;
                                return replace(v, t, table, r == null ? "" : r, at);
                            });
                }
                case "formatDate": {
                    Args a = arity(name, at, args, 1, 2);
                    Str s = a.str(0);
                    String pattern = args.size() == 2
                            ? a.literal(1)
                            : context.dateFormat() == null ? "yyyy-MM-dd" : context.dateFormat();
                    int patternAt = args.size() == 2 ? args.get(1).position() : at;
                    DateTimeFormatter formatter;
                    try {
                        formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
                    } catch (IllegalArgumentException e) {
                        throw new ExpressionException(
                                patternAt, "invalid date pattern '" + pattern + "': " + e.getMessage());
                    }
                    long printed = (long) pattern.length() * DATE_CHARS_PER_PATTERN_CHAR;
                    if (printed > Nodes.MAX_VALUE) {
                        throw new ExpressionException(
                                patternAt,
                                "the date pattern is longer than " + Nodes.MAX_VALUE / DATE_CHARS_PER_PATTERN_CHAR
                                        + " characters");
                    }
                    NumericDatePattern numeric = NumericDatePattern.of(pattern);
                    // Parsing tries up to four ISO forms, each reading the value at most once.
                    return str(name, at, (int) printed, s.cost() + 4L * s.maxLength() + printed, row -> {
                        String v = s.eval(row);
                        return v == null ? null : formatDate(v, formatter, numeric);
                    });
                }
                case "formatNumber": {
                    Args a = arity(name, at, args, 1, 2);
                    Str s = a.str(0);
                    String pattern = args.size() == 2 ? a.literal(1) : context.numberFormat();
                    // Reading the value, parsing at most MAX_NUMBER_LENGTH characters, printing the result.
                    long cost = s.cost() + s.maxLength() + 8L * MAX_NUMBER_LENGTH + Nodes.MAX_VALUE;
                    if (pattern == null) {
                        return str(name, at, Nodes.MAX_VALUE, cost, row -> {
                            String v = s.eval(row);
                            return v == null ? null : plainNumber(v, at);
                        });
                    }
                    DecimalFormat format;
                    try {
                        format = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new ExpressionException(
                                args.size() == 2 ? args.get(1).position() : at,
                                "invalid number pattern '" + pattern + "': " + e.getMessage());
                    }
                    NumberShape shape = NumberShape.of(format);
                    return str(name, at, Nodes.MAX_VALUE, cost, row -> {
                        String v = s.eval(row);
                        return v == null ? null : formatNumber(v, format, shape, at);
                    });
                }
                case "if": {
                    Args a = arity(name, at, args, 3, 3);
                    if (!(args.get(0) instanceof Bool cond)) {
                        throw new ExpressionException(
                                args.get(0).position(), "if's first argument must be present(x) or eq(x, y)");
                    }
                    Str then = a.str(1);
                    Str otherwise = a.str(2);
                    return str(
                            name,
                            at,
                            Math.max(then.maxLength(), otherwise.maxLength()),
                            cond.cost() + Math.max(then.cost(), otherwise.cost()),
                            row -> cond.test(row) ? then.eval(row) : otherwise.eval(row));
                }
                case "present": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return bool(at, s.cost() + s.maxLength(), row -> {
                        String v = s.eval(row);
                        return v != null && !v.isBlank();
                    });
                }
                case "eq": {
                    Args a = arity(name, at, args, 2, 2);
                    Str x = a.str(0);
                    Str y = a.str(1);
                    return bool(
                            at,
                            x.cost() + y.cost() + Math.min(x.maxLength(), y.maxLength()),
                            row -> Objects.equals(orEmpty(x.eval(row)), orEmpty(y.eval(row))));
                }
                default:
                    throw new ExpressionException(at, "unknown function '" + name + "'");
            }
        }

        private static Args arity(String name, int at, List<Node> args, int min, int max) throws ExpressionException {
            if (args.size() < min || args.size() > max) {
                String expected =
                        min == max ? String.valueOf(min) : max == MAX_ARGS ? "at least " + min : min + " or " + max;
                throw new ExpressionException(
                        at, name + " takes " + expected + " argument" + (max == 1 ? "" : "s") + ", not " + args.size());
            }
            return new Args(name, args);
        }

        /** Typed access to a call's arguments. */
        private record Args(String name, List<Node> args) {
            Str str(int i) throws ExpressionException {
                Node n = args.get(i);
                if (n instanceof Str s) {
                    return s;
                }
                throw new ExpressionException(
                        n.position(), "argument " + (i + 1) + " of " + name + " must be a value, not a condition");
            }

            int integer(int i) throws ExpressionException {
                Node n = args.get(i);
                if (n instanceof Int number) {
                    if (number.value() > Nodes.MAX_VALUE) {
                        throw new ExpressionException(
                                n.position(),
                                "argument " + (i + 1) + " of " + name + " is larger than " + Nodes.MAX_VALUE);
                    }
                    return number.value();
                }
                throw new ExpressionException(
                        n.position(), "argument " + (i + 1) + " of " + name + " must be a whole number literal");
            }

            String literal(int i) throws ExpressionException {
                Node n = args.get(i);
                if (n instanceof Literal l && l.value() != null) {
                    return l.value();
                }
                throw new ExpressionException(
                        n.position(), "argument " + (i + 1) + " of " + name + " must be a string literal or constant");
            }
        }

        private interface StrFn {
            String apply(List<String> row);
        }

        private interface BoolFn {
            boolean test(List<String> row);
        }

        /**
         * A function node. {@code maxLength} and {@code cost} are its compile-time bounds; the value is checked
         * against {@link Nodes#MAX_VALUE} as it leaves the node, so a function that can lengthen its input
         * (upper, lower, capitalize, formatDate, formatNumber) rejects the row rather than pass on a longer one.
         * The others check before they build anything.
         */
        private static Str str(String name, int at, int maxLength, long cost, StrFn fn) {
            long total = cost + CALL_COST;
            return new Str() {
                @Override
                public String eval(List<String> row) {
                    String v = fn.apply(row);
                    if (v != null && v.length() > Nodes.MAX_VALUE) {
                        throw tooLong(name, at);
                    }
                    return v;
                }

                @Override
                public int position() {
                    return at;
                }

                @Override
                public int maxLength() {
                    return maxLength;
                }

                @Override
                public long cost() {
                    return total;
                }
            };
        }

        private static Bool bool(int at, long cost, BoolFn fn) {
            long total = cost + CALL_COST;
            return new Bool() {
                @Override
                public boolean test(List<String> row) {
                    return fn.test(row);
                }

                @Override
                public int position() {
                    return at;
                }

                @Override
                public long cost() {
                    return total;
                }
            };
        }

        private static ExpressionLimitException tooLong(String name, int at) {
            return new ExpressionLimitException(
                    at, name + "'s value would be longer than " + Nodes.MAX_VALUE + " characters");
        }

        /** A length bound, at most {@link Nodes#MAX_VALUE}. */
        private static int capped(long length) {
            return (int) Math.min(length, Nodes.MAX_VALUE);
        }

        /** {@code f} of a present value; only with non-capturing functions (a capturing one is allocated per row). */
        private static String map(String v, UnaryOperator<String> f) {
            return v == null ? null : f.apply(v);
        }

        private static String orEmpty(String v) {
            return v == null ? "" : v;
        }

        /**
         * {@code v.toUpperCase(Locale.ROOT)} in time and memory linear in the value. The JDK copies its whole
         * result again for every character that upper-cases to several (ß → SS, ﬀ → FF, ΐ…): 4096 of them
         * allocate 50 MB. Upper-casing in the root locale maps each character on its own, so the same result can
         * be built one character at a time; short values, and values without such a character, keep the JDK's
         * fast path.
         */
        static String upper(String v, int at) {
            if (v.length() <= SHORT_CASE_MAPPING) {
                return v.toUpperCase(Locale.ROOT); // its copies are bounded: at most 32 of at most 96 characters
            }
            boolean[] expands = UpperCaseExpansions.TABLE;
            int first = 0;
            while (first < v.length() && !expands[v.charAt(first)]) {
                first++;
            }
            if (first == v.length()) {
                return v.toUpperCase(Locale.ROOT);
            }
            StringBuilder b = new StringBuilder(Math.min(Nodes.MAX_VALUE, v.length() + 16));
            b.append(v.substring(0, first).toUpperCase(Locale.ROOT));
            int i = first;
            while (i < v.length()) {
                int cp = v.codePointAt(i);
                if (cp < expands.length && expands[cp]) {
                    b.append(UpperCaseExpansions.of((char) cp));
                } else {
                    b.appendCodePoint(Character.toUpperCase(cp));
                }
                if (b.length() > Nodes.MAX_VALUE) {
                    throw tooLong("upper", at);
                }
                i += Character.charCount(cp);
            }
            return b.toString();
        }

        /**
         * {@code v.toLowerCase(Locale.ROOT)} in time and memory linear in the value. In the root locale only İ
         * (U+0130) lower-cases to two characters, and the JDK copies its result again for each one. Lower-casing
         * also looks at neighbours (a final Σ becomes ς), so the value is lower-cased whole with each İ standing in
         * as I (a cased letter too, lower-cased to one character), then each İ's place gets i and U+0307.
         */
        static String lower(String v, int at) {
            if (v.indexOf('\u0130') < 0) {
                return v.toLowerCase(Locale.ROOT);
            }
            String lowered = v.replace('\u0130', 'I').toLowerCase(Locale.ROOT); // as long as v: no other expansion
            StringBuilder b = new StringBuilder(Math.min(Nodes.MAX_VALUE, v.length() + 16));
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) == '\u0130') {
                    b.append('i').append('\u0307');
                } else {
                    b.append(lowered.charAt(i));
                }
                if (b.length() > Nodes.MAX_VALUE) {
                    throw tooLong("lower", at);
                }
            }
            return b.toString();
        }

        /** Which characters upper-case to more than one, and to what; built once, on first use. */
        private static final class UpperCaseExpansions {
            static final boolean[] TABLE = new boolean[65536];
            /** The characters that lengthen, ascending, and their upper case at the same index. */
            private static final char[] KEYS;

            private static final String[] UPPER;

            static {
                StringBuilder keys = new StringBuilder();
                List<String> upper = new ArrayList<>();
                for (int c = 0; c < TABLE.length; c++) {
                    String u = Character.isSurrogate((char) c)
                            ? ""
                            : String.valueOf((char) c).toUpperCase(Locale.ROOT);
                    if (u.length() > 1) {
                        TABLE[c] = true;
                        keys.append((char) c);
                        upper.add(u);
                    }
                }
                KEYS = keys.toString().toCharArray();
                UPPER = upper.toArray(new String[0]);
            }

            static String of(char c) {
                return UPPER[Arrays.binarySearch(KEYS, c)];
            }
        }

        /** Upper-cases the first letter of each word (after a non-letter), lower-cases the others. */
        static String capitalize(String v) {
            StringBuilder b = new StringBuilder(v.length());
            boolean startOfWord = true;
            int i = 0;
            while (i < v.length()) {
                int cp = v.codePointAt(i);
                if (Character.isLetter(cp)) {
                    b.appendCodePoint(startOfWord ? Character.toTitleCase(cp) : Character.toLowerCase(cp));
                    startOfWord = false;
                } else {
                    b.appendCodePoint(cp);
                    // Apostrophes stay inside a word ("Don't"); every other non-letter starts a new one.
                    startOfWord = cp != '\'' && cp != '\u2019';
                }
                i += Character.charCount(cp);
            }
            return b.toString();
        }

        /** Code points {@code [start, end)} of v, clamped to its length; never splits a surrogate pair. */
        static String codePoints(String v, int start, int end) {
            int count = v.codePointCount(0, v.length());
            int from = Math.min(start, count);
            int to = Math.min(end, count);
            return v.substring(v.offsetByCodePoints(0, from), v.offsetByCodePoints(0, to));
        }

        /**
         * All parts one after the other, a missing one as empty; the row is rejected before the text grows
         * past {@link Nodes#MAX_VALUE}.
         */
        private static String concat(Str[] parts, List<String> row, int at) {
            StringBuilder b = new StringBuilder();
            for (Str part : parts) {
                String v = part.eval(row);
                if (v != null) {
                    if (b.length() + v.length() > Nodes.MAX_VALUE) {
                        throw tooLong("concat", at);
                    }
                    b.append(v);
                }
            }
            return b.toString();
        }

        /**
         * {@code v} padded to {@code width} code points; a missing (absent or empty) value stays missing, as
         * every function of a missing value. The length is known before anything is built.
         */
        static String pad(String v, int width, String pad, boolean left, int at) {
            if (v == null || v.isEmpty()) {
                return null;
            }
            int missing = width - v.codePointCount(0, v.length());
            if (missing <= 0) {
                return v;
            }
            if (v.length() + (long) missing * pad.length() > Nodes.MAX_VALUE) {
                throw tooLong(left ? "padLeft" : "padRight", at);
            }
            StringBuilder b = new StringBuilder(v.length() + missing * pad.length());
            if (!left) {
                b.append(v);
            }
            for (int i = 0; i < missing; i++) {
                b.append(pad);
            }
            if (left) {
                b.append(v);
            }
            return b.toString();
        }

        /**
         * Every occurrence of {@code target} in {@code v} replaced, left to right; the row is rejected as soon
         * as the result would pass {@link Nodes#MAX_VALUE}, so it is never built longer. Linear in the value
         * whatever the target: {@link String#indexOf} for short targets, a Knuth–Morris–Pratt search with
         * {@code table} ({@link #failureTable}) for longer ones (indexOf may compare a long target again at
         * every position: 4096 × 2000 comparisons for one call).
         *
         * @param table the target's failure table when it is longer than {@link #SHORT_TARGET}, else null
         */
        static String replace(String v, String target, int[] table, String replacement, int at) {
            int hit = find(v, target, 0, table);
            if (hit < 0) {
                return v;
            }
            StringBuilder b = new StringBuilder(Math.min(Nodes.MAX_VALUE, v.length() + 16));
            int from = 0;
            while (hit >= 0) {
                if (b.length() + (long) (hit - from) + replacement.length() > Nodes.MAX_VALUE) {
                    throw tooLong("replace", at);
                }
                b.append(v, from, hit).append(replacement);
                from = hit + target.length();
                hit = find(v, target, from, table);
            }
            if (b.length() + (long) (v.length() - from) > Nodes.MAX_VALUE) {
                throw tooLong("replace", at);
            }
            return b.append(v, from, v.length()).toString();
        }

        private static int find(String v, String target, int from, int[] table) {
            if (table == null) {
                return v.indexOf(target, from);
            }
            int matched = 0;
            for (int i = from; i < v.length(); i++) {
                char c = v.charAt(i);
                while (matched > 0 && target.charAt(matched) != c) {
                    matched = table[matched - 1];
                }
                if (target.charAt(matched) == c) {
                    matched++;
                }
                if (matched == target.length()) {
                    return i - matched + 1;
                }
            }
            return -1;
        }

        /** For each prefix of {@code target}, the length of its longest proper prefix that is also its suffix. */
        static int[] failureTable(String target) {
            int[] table = new int[target.length()];
            int k = 0;
            for (int i = 1; i < target.length(); i++) {
                while (k > 0 && target.charAt(k) != target.charAt(i)) {
                    k = table[k - 1];
                }
                if (target.charAt(k) == target.charAt(i)) {
                    k++;
                }
                table[i] = k;
            }
            return table;
        }

        /**
         * Formats an ISO date or date-time; null when the value is not one (default() can supply a fallback).
         *
         * @param numeric the pattern's numeric form, or null
         */
        static String formatDate(String v, DateTimeFormatter formatter, NumericDatePattern numeric) {
            TemporalAccessor t = parseTemporal(v.strip());
            if (t == null) {
                return null;
            }
            if (numeric != null && t instanceof LocalDate date && date.getYear() >= 0 && date.getYear() <= 9999) {
                return numeric.format(date);
            }
            try {
                return formatter.format(t);
            } catch (RuntimeException e) {
                return null; // e.g. a time pattern applied to a plain date
            }
        }

        private static TemporalAccessor parseTemporal(String v) {
            if (isPlainDate(v)) {
                // The common shape, without the general parser's cost (it dominated formatDate per row).
                try {
                    return LocalDate.of(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10));
                } catch (DateTimeException e) {
                    return null; // e.g. 2026-02-30: no other accepted form has this shape
                }
            }
            try {
                return LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                // not a plain date
            }
            try {
                return OffsetDateTime.parse(v);
            } catch (DateTimeParseException e) {
                // no offset
            }
            try {
                return LocalDateTime.parse(v);
            } catch (DateTimeParseException e) {
                // not a local date-time
            }
            try {
                return Instant.parse(v).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        /** {@code yyyy-MM-dd} exactly, ASCII digits: what {@link LocalDate#parse} accepts in the plain case. */
        private static boolean isPlainDate(String v) {
            if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
                return false;
            }
            for (int i = 0; i < 10; i++) {
                char c = v.charAt(i);
                if (i != 4 && i != 7 && (c < '0' || c > '9')) {
                    return false;
                }
            }
            return true;
        }

        private static int digits(String v, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                n = n * 10 + (v.charAt(i) - '0');
            }
            return n;
        }

        /**
         * The value as a number, or null when it is not one. A value longer than {@link #MAX_NUMBER_LENGTH}
         * made only of number characters, digits among them, is a number too long to read (parsing is
         * super-linear in its digits): the row is rejected. Anything else that long is not a number.
         */
        private static BigDecimal number(String v, int at) {
            String s = v.strip();
            if (s.length() > MAX_NUMBER_LENGTH) {
                boolean digit = false;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c >= '0' && c <= '9') {
                        digit = true;
                    } else if (c != '.' && c != '+' && c != '-' && c != 'e' && c != 'E') {
                        return null;
                    }
                }
                if (!digit) {
                    return null;
                }
                throw new ExpressionLimitException(
                        at, "formatNumber's number is longer than " + MAX_NUMBER_LENGTH + " characters");
            }
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** Integer digits of {@code n} written out (at least 1): a huge exponent means a huge count. */
        private static long integerDigits(BigDecimal n) {
            return n.signum() == 0 ? 1 : Math.max(1, (long) n.precision() - n.scale());
        }

        /** The number in plain notation; null when the value is not one. The length is known before it is built. */
        static String plainNumber(String v, int at) {
            BigDecimal n = number(v, at);
            if (n == null) {
                return null;
            }
            long scale = n.scale();
            long length;
            if (n.signum() == 0) {
                length = scale <= 0 ? 1 : scale + 2; // "0", "0.000"
            } else {
                long precision = n.precision();
                int sign = n.signum() < 0 ? 1 : 0;
                length = sign + (scale <= 0 ? precision - scale : scale >= precision ? scale + 2 : precision + 1);
            }
            if (length > Nodes.MAX_VALUE) {
                throw tooLong("formatNumber", at);
            }
            return n.toPlainString();
        }

        /**
         * Formats a decimal number; null when the value is not one. {@link DecimalFormat} writes every integer
         * digit of {@code 1E+999999999}, so the printed length is bounded from the number's digits and the
         * pattern before it formats anything.
         */
        static String formatNumber(String v, DecimalFormat format, NumberShape shape, int at) {
            BigDecimal number = number(v, at);
            if (number == null) {
                return null;
            }
            if (shape.longestFor(integerDigits(number), number.signum() < 0) > Nodes.MAX_VALUE) {
                throw tooLong("formatNumber", at);
            }
            return format.format(number);
        }

        /** What a {@link DecimalFormat} pattern can print, from its settings, without formatting anything. */
        record NumberShape(
                boolean scientific,
                int patternLength,
                int multiplierDigits,
                int minimumIntegerDigits,
                int groupingSize,
                int fractionDigits,
                boolean pointAlways,
                int positiveAffixes,
                int negativeAffixes) {

            static NumberShape of(DecimalFormat f) {
                String pattern = f.toPattern();
                // A multiplier of 100 (percent) adds two integer digits, 1000 (per mille) three.
                int multiplierDigits =
                        Integer.toString(Math.abs(f.getMultiplier())).length() - 1;
                return new NumberShape(
                        pattern.indexOf('E') >= 0,
                        pattern.length(),
                        multiplierDigits,
                        f.getMinimumIntegerDigits(),
                        f.isGroupingUsed() ? f.getGroupingSize() : 0,
                        f.getMaximumFractionDigits(),
                        f.isDecimalSeparatorAlwaysShown(),
                        f.getPositivePrefix().length() + f.getPositiveSuffix().length(),
                        f.getNegativePrefix().length() + f.getNegativeSuffix().length());
            }

            /** Upper bound of the characters printed for a number with {@code integerDigits} integer digits. */
            long longestFor(long integerDigits, boolean negative) {
                // Scientific notation: the pattern bounds the mantissa, the exponent has at most 11 characters.
                long digits = scientific
                        ? patternLength + 12L
                        : Math.max(integerDigits + multiplierDigits, minimumIntegerDigits);
                long separators = groupingSize > 0 ? (digits - 1) / groupingSize : 0;
                long fraction = fractionDigits > 0 || pointAlways ? 1L + fractionDigits : 0;
                return digits + separators + fraction + (negative ? negativeAffixes : positiveAffixes);
            }
        }
    }
}
