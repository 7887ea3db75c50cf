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
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Parses and type-checks personalisation expressions.
 *
 * <p>Grammar: {@code expr := STRING | INTEGER | path | name '(' [expr (',' expr)*] ')'}, where a path is
 * dotted identifiers ({@code person.name.lastName}, {@code const.x}, {@code campaign.name}, {@code run.date}),
 * strings are single- or double-quoted with backslash escapes. Everything is resolved at compile time:
 * function names, arities, argument types, format patterns and paths, so rendering a row cannot fail.
 */
public final class Expressions {

    /** Longest accepted expression text. */
    public static final int MAX_LENGTH = 2000;
    private static final int MAX_DEPTH = 32;
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
            throw new ExpressionException(parser.pos, "unexpected '" + text.charAt(parser.pos) + "' after the expression");
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
                return new Literal(start, null);
            }
            if (!context.constants().containsKey(key)) {
                throw new ExpressionException(start, "unknown constant '" + key + "'");
            }
            return new Literal(start, Nodes.cap(context.constants().get(key)));
        }
        if (name.equals("campaign") || name.startsWith("campaign.")) {
            return switch (name) {
                case "campaign.name" -> new Literal(start, context.campaignName());
                case "campaign.id" -> new Literal(start, context.campaignId());
                default -> throw new ExpressionException(start, "unknown campaign value '" + name
                        + "' (campaign.name, campaign.id)");
            };
        }
        if (name.equals("run") || name.startsWith("run.")) {
            return switch (name) {
                case "run.id" -> new Literal(start, context.runId());
                case "run.date" -> new Literal(start, context.runDate() == null ? null : context.runDate().toString());
                default -> throw new ExpressionException(start, "unknown run value '" + name + "' (run.id, run.date)");
            };
        }
        int index = -1;
        if (context.fields() != null) {
            index = context.fields().indexOf(name);
            if (index < 0) {
                throw new ExpressionException(start, "attribute path '" + name + "' is not carried by the profile stream");
            }
        }
        paths.add(name);
        return new Path(start, name, index);
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
        return Functions.apply(name, start, args, context);
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

    /** The built-in functions: arity and type checks at compile time, then a tiny evaluator per call. */
    static final class Functions {

        private Functions() {
        }

        static Node apply(String name, int at, List<Node> args, ExpressionContext context) throws ExpressionException {
            switch (name) {
                case "upper": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return str(at, row -> map(s.eval(row), v -> v.toUpperCase(Locale.ROOT)));
                }
                case "lower": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return str(at, row -> map(s.eval(row), v -> v.toLowerCase(Locale.ROOT)));
                }
                case "capitalize": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return str(at, row -> map(s.eval(row), Functions::capitalize));
                }
                case "trim": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return str(at, row -> map(s.eval(row), String::strip));
                }
                case "default": {
                    Args a = arity(name, at, args, 2, 2);
                    Str s = a.str(0);
                    Str fallback = a.str(1);
                    return str(at, row -> {
                        String v = s.eval(row);
                        return v == null || v.isBlank() ? fallback.eval(row) : v;
                    });
                }
                case "concat": {
                    Args a = arity(name, at, args, 1, MAX_ARGS);
                    Str[] parts = new Str[args.size()];
                    for (int i = 0; i < parts.length; i++) {
                        parts[i] = a.str(i);
                    }
                    return str(at, row -> {
                        StringBuilder b = new StringBuilder();
                        for (Str part : parts) {
                            String v = part.eval(row);
                            if (v != null) {
                                b.append(v);
                            }
                            if (b.length() > Nodes.MAX_VALUE) {
                                break;
                            }
                        }
                        return b.toString();
                    });
                }
                case "substring": {
                    Args a = arity(name, at, args, 2, 3);
                    Str s = a.str(0);
                    int start = a.integer(1);
                    int end = args.size() == 3 ? a.integer(2) : Integer.MAX_VALUE;
                    if (end < start) {
                        throw new ExpressionException(args.get(2).position(), "substring's end is before its start");
                    }
                    return str(at, row -> map(s.eval(row), v -> codePoints(v, start, end)));
                }
                case "truncate": {
                    Args a = arity(name, at, args, 2, 2);
                    Str s = a.str(0);
                    int max = a.integer(1);
                    return str(at, row -> map(s.eval(row), v -> codePoints(v, 0, max)));
                }
                case "padLeft", "padRight": {
                    Args a = arity(name, at, args, 2, 3);
                    Str s = a.str(0);
                    int width = a.integer(1);
                    String pad = args.size() == 3 ? a.literal(2) : " ";
                    if (pad.codePointCount(0, pad.length()) != 1) {
                        throw new ExpressionException(args.get(2).position(), name + "'s pad must be one character");
                    }
                    boolean left = name.equals("padLeft");
                    return str(at, row -> pad(s.eval(row), width, pad, left));
                }
                case "replace": {
                    Args a = arity(name, at, args, 3, 3);
                    Str s = a.str(0);
                    Str target = a.str(1);
                    Str replacement = a.str(2);
                    return str(at, row -> {
                        String v = s.eval(row);
                        String t = target.eval(row);
                        if (v == null || t == null || t.isEmpty()) {
                            return v;
                        }
                        String r = replacement.eval(row);
                        return Nodes.cap(v.replace(t, r == null ? "" : r));
                    });
                }
                case "formatDate": {
                    Args a = arity(name, at, args, 1, 2);
                    Str s = a.str(0);
                    String pattern = args.size() == 2 ? a.literal(1)
                            : context.dateFormat() == null ? "yyyy-MM-dd" : context.dateFormat();
                    DateTimeFormatter formatter;
                    try {
                        formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
                    } catch (IllegalArgumentException e) {
                        throw new ExpressionException(args.size() == 2 ? args.get(1).position() : at,
                                "invalid date pattern '" + pattern + "': " + e.getMessage());
                    }
                    NumericDatePattern numeric = NumericDatePattern.of(pattern);
                    return str(at, row -> map(s.eval(row), v -> formatDate(v, formatter, numeric)));
                }
                case "formatNumber": {
                    Args a = arity(name, at, args, 1, 2);
                    Str s = a.str(0);
                    String pattern = args.size() == 2 ? a.literal(1) : context.numberFormat();
                    if (pattern == null) {
                        return str(at, row -> map(s.eval(row), Functions::plainNumber));
                    }
                    DecimalFormat format;
                    try {
                        format = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new ExpressionException(args.size() == 2 ? args.get(1).position() : at,
                                "invalid number pattern '" + pattern + "': " + e.getMessage());
                    }
                    return str(at, row -> map(s.eval(row), v -> formatNumber(v, format)));
                }
                case "if": {
                    Args a = arity(name, at, args, 3, 3);
                    if (!(args.get(0) instanceof Bool cond)) {
                        throw new ExpressionException(args.get(0).position(),
                                "if's first argument must be present(x) or eq(x, y)");
                    }
                    Str then = a.str(1);
                    Str otherwise = a.str(2);
                    return str(at, row -> cond.test(row) ? then.eval(row) : otherwise.eval(row));
                }
                case "present": {
                    Str s = arity(name, at, args, 1, 1).str(0);
                    return bool(at, row -> {
                        String v = s.eval(row);
                        return v != null && !v.isBlank();
                    });
                }
                case "eq": {
                    Args a = arity(name, at, args, 2, 2);
                    Str x = a.str(0);
                    Str y = a.str(1);
                    return bool(at, row -> Objects.equals(orEmpty(x.eval(row)), orEmpty(y.eval(row))));
                }
                default:
                    throw new ExpressionException(at, "unknown function '" + name + "'");
            }
        }

        private static Args arity(String name, int at, List<Node> args, int min, int max) throws ExpressionException {
            if (args.size() < min || args.size() > max) {
                String expected = min == max ? String.valueOf(min) : max == MAX_ARGS ? "at least " + min : min + " or " + max;
                throw new ExpressionException(at, name + " takes " + expected + " argument" + (max == 1 ? "" : "s")
                        + ", not " + args.size());
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
                throw new ExpressionException(n.position(), "argument " + (i + 1) + " of " + name
                        + " must be a value, not a condition");
            }

            int integer(int i) throws ExpressionException {
                Node n = args.get(i);
                if (n instanceof Int number) {
                    if (number.value() > Nodes.MAX_VALUE) {
                        throw new ExpressionException(n.position(), "argument " + (i + 1) + " of " + name
                                + " is larger than " + Nodes.MAX_VALUE);
                    }
                    return number.value();
                }
                throw new ExpressionException(n.position(), "argument " + (i + 1) + " of " + name
                        + " must be a whole number literal");
            }

            String literal(int i) throws ExpressionException {
                Node n = args.get(i);
                if (n instanceof Literal l && l.value() != null) {
                    return l.value();
                }
                throw new ExpressionException(n.position(), "argument " + (i + 1) + " of " + name
                        + " must be a string literal or constant");
            }
        }

        private interface StrFn {
            String apply(List<String> row);
        }

        private interface BoolFn {
            boolean test(List<String> row);
        }

        private static Str str(int at, StrFn fn) {
            return new Str() {
                @Override
                public String eval(List<String> row) {
                    return Nodes.cap(fn.apply(row));
                }

                @Override
                public int position() {
                    return at;
                }
            };
        }

        private static Bool bool(int at, BoolFn fn) {
            return new Bool() {
                @Override
                public boolean test(List<String> row) {
                    return fn.test(row);
                }

                @Override
                public int position() {
                    return at;
                }
            };
        }

        private static String map(String v, java.util.function.UnaryOperator<String> f) {
            return v == null ? null : f.apply(v);
        }

        private static String orEmpty(String v) {
            return v == null ? "" : v;
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

        static String pad(String v, int width, String pad, boolean left) {
            String value = v == null ? "" : v;
            int missing = width - value.codePointCount(0, value.length());
            if (missing <= 0) {
                return value;
            }
            String fill = pad.repeat(missing);
            return left ? fill + value : value + fill;
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
                } catch (java.time.DateTimeException e) {
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

        static String plainNumber(String v) {
            try {
                return new BigDecimal(v.strip()).toPlainString();
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** Formats a decimal number; null when the value is not one. */
        static String formatNumber(String v, DecimalFormat format) {
            BigDecimal number;
            try {
                number = new BigDecimal(v.strip());
            } catch (NumberFormatException e) {
                return null;
            }
            return format.format(number);
        }
    }
}
