package io.mailshot.audience.service.filter;

import io.mailshot.audience.service.filter.FilterNode.And;
import io.mailshot.audience.service.filter.FilterNode.Bool;
import io.mailshot.audience.service.filter.FilterNode.DurationUnit;
import io.mailshot.audience.service.filter.FilterNode.Literal;
import io.mailshot.audience.service.filter.FilterNode.Not;
import io.mailshot.audience.service.filter.FilterNode.Now;
import io.mailshot.audience.service.filter.FilterNode.Number;
import io.mailshot.audience.service.filter.FilterNode.Or;
import io.mailshot.audience.service.filter.FilterNode.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the text syntax of audience filters, e.g.
 * {@code homeAddress.countryCode = "FR" and not (attributes.birthDate < now - 18y)}. A hand-written recursive
 * descent parser with explicit depth and size bounds; every error names its 1-based character position.
 *
 * <pre>
 * filter     := or
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | "(" or ")" | comparison
 * comparison := PATH ( ("=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") value
 *                    | "in" list | "not" "in" list | "contains" value | "startsWith" value
 *                    | "exists" | "missing" )
 * list       := ("(" | "[") value ("," value)* (")" | "]")
 * value      := STRING | ["-"] NUMBER | "true" | "false" | "now" [("+" | "-") DURATION]
 * DURATION   := digits ("y" | "mo" | "w" | "d" | "h")
 * </pre>
 * Keywords are case-insensitive; paths and strings are not.
 */
public final class FilterParser {

    private enum Kind {
        WORD,
        STRING,
        NUMBER,
        DURATION,
        OP,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        COMMA,
        PLUS,
        MINUS,
        END
    }

    private record Token(Kind kind, String text, int position) {}

    private final FilterLimits limits;
    private final List<Token> tokens;
    private int index;
    private int conditions;

    private FilterParser(String source, FilterLimits limits) {
        this.limits = limits;
        this.tokens = tokenize(source);
    }

    /** Parses a text filter; throws {@link FilterException} naming the position of the first problem. */
    public static FilterNode parse(String text, FilterLimits limits) {
        if (text == null || text.isBlank()) {
            throw new FilterException(
                    FilterException.Kind.RULE_BROKEN,
                    "filter",
                    "required",
                    0,
                    "a text filter must not be blank; omit the filter to target every profile");
        }
        if (text.length() > limits.maxLength()) {
            throw new FilterException(
                    FilterException.Kind.RULE_BROKEN,
                    "filter",
                    "max-length",
                    0,
                    "a text filter must be at most " + limits.maxLength() + " characters");
        }
        FilterParser parser = new FilterParser(text, limits);
        FilterNode node = parser.or(1);
        Token end = parser.peek();
        if (end.kind != Kind.END) {
            throw parser.error(end, "expected and, or or the end of the filter, found " + describe(end));
        }
        return node;
    }

    // ---- grammar ----

    private FilterNode or(int depth) {
        checkDepth(depth);
        List<FilterNode> parts = new ArrayList<>();
        parts.add(and(depth));
        while (isWord(peek(), "or")) {
            index++;
            parts.add(and(depth));
        }
        return parts.size() == 1 ? parts.get(0) : new Or(parts);
    }

    private FilterNode and(int depth) {
        List<FilterNode> parts = new ArrayList<>();
        parts.add(unary(depth));
        while (isWord(peek(), "and")) {
            index++;
            parts.add(unary(depth));
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    private FilterNode unary(int depth) {
        Token t = peek();
        if (isWord(t, "not")) {
            index++;
            checkDepth(depth + 1);
            return new Not(unary(depth + 1));
        }
        if (t.kind == Kind.LPAREN) {
            index++;
            FilterNode inner = or(depth + 1);
            expect(Kind.RPAREN, "expected ')' to close the '(' at position " + t.position);
            return inner;
        }
        return comparison();
    }

    private FilterNode comparison() {
        Token path = next();
        if (path.kind != Kind.WORD || isKeyword(path.text)) {
            throw error(path, "expected a path such as homeAddress.countryCode, found " + describe(path));
        }
        if (++conditions > limits.maxConditions()) {
            throw new FilterException(
                    FilterException.Kind.RULE_BROKEN,
                    "filter",
                    "max-conditions",
                    path.position,
                    FilterRules.at(path.position) + "a filter has at most " + limits.maxConditions() + " conditions");
        }
        Token op = next();
        FilterOperator operator;
        List<Literal> values = new ArrayList<>();
        boolean negate = false;
        if (op.kind == Kind.OP) {
            operator = FilterOperator.of(op.text);
            values.add(value(op));
        } else if (op.kind == Kind.WORD) {
            String word = op.text.toLowerCase(Locale.ROOT);
            if (word.equals("not") && isWord(peek(), "in")) {
                negate = true;
                index++;
                word = "in";
            }
            switch (word) {
                case "in" -> {
                    operator = FilterOperator.IN;
                    list(values);
                }
                case "contains" -> {
                    operator = FilterOperator.CONTAINS;
                    values.add(value(op));
                }
                case "startswith" -> {
                    operator = FilterOperator.STARTS_WITH;
                    values.add(value(op));
                }
                case "exists" -> operator = FilterOperator.EXISTS;
                case "missing" -> operator = FilterOperator.MISSING;
                default ->
                    throw error(
                            op,
                            "expected an operator (" + FilterOperator.spellings() + ") after the" + " path, found "
                                    + describe(op));
            }
        } else {
            throw error(
                    op,
                    "expected an operator (" + FilterOperator.spellings() + ") after the path, found " + describe(op));
        }
        FilterNode comparison = FilterRules.comparison(path.text, operator, values, limits, "filter", path.position);
        return negate ? new Not(comparison) : comparison;
    }

    private void list(List<Literal> out) {
        Token open = next();
        Kind close;
        if (open.kind == Kind.LPAREN) {
            close = Kind.RPAREN;
        } else if (open.kind == Kind.LBRACKET) {
            close = Kind.RBRACKET;
        } else {
            throw error(open, "expected '(' or '[' to start the list of in, found " + describe(open));
        }
        while (true) {
            if (out.size() >= limits.maxValues()) {
                throw new FilterException(
                        FilterException.Kind.RULE_BROKEN,
                        "filter",
                        "max-values",
                        open.position,
                        FilterRules.at(open.position) + "in has more than " + limits.maxValues() + " values");
            }
            out.add(value(open));
            Token sep = next();
            if (sep.kind == close) {
                return;
            }
            if (sep.kind != Kind.COMMA) {
                throw error(sep, "expected ',' or the end of the list, found " + describe(sep));
            }
        }
    }

    private Literal value(Token after) {
        Token t = next();
        switch (t.kind) {
            case STRING:
                return new Text(t.text);
            case NUMBER:
                return new Number(new BigDecimal(t.text));
            case MINUS: {
                Token n = next();
                if (n.kind != Kind.NUMBER) {
                    throw error(n, "expected a number after '-', found " + describe(n));
                }
                return new Number(new BigDecimal(n.text).negate());
            }
            case WORD: {
                String word = t.text.toLowerCase(Locale.ROOT);
                if (word.equals("true") || word.equals("false")) {
                    return new Bool(word.equals("true"));
                }
                if (word.equals("now")) {
                    Token sign = peek();
                    if (sign.kind != Kind.PLUS && sign.kind != Kind.MINUS) {
                        return new Now(0, DurationUnit.DAYS);
                    }
                    index++;
                    Token d = next();
                    if (d.kind != Kind.DURATION) {
                        throw error(d, "expected a duration such as 18y, 6mo, 2w, 30d or 12h, found " + describe(d));
                    }
                    return duration(d, sign.kind == Kind.MINUS);
                }
                throw error(
                        t,
                        "expected a value (a \"string\", a number, true, false or now) after " + describe(after)
                                + ", found " + describe(t) + "; quote text values");
            }
            default:
                throw error(
                        t,
                        "expected a value (a \"string\", a number, true, false or now) after " + describe(after)
                                + ", found " + describe(t));
        }
    }

    private Now duration(Token d, boolean minus) {
        int split = 0;
        while (split < d.text.length() && Character.isDigit(d.text.charAt(split))) {
            split++;
        }
        DurationUnit unit = DurationUnit.ofSuffix(d.text.substring(split));
        if (unit == null) {
            throw error(d, "unknown duration unit in " + describe(d) + "; use y, mo, w, d or h");
        }
        String digits = d.text.substring(0, split);
        if (digits.length() > 5 || Integer.parseInt(digits) > FilterRules.MAX_SHIFT) {
            throw new FilterException(
                    FilterException.Kind.RULE_BROKEN,
                    "filter",
                    "range",
                    d.position,
                    FilterRules.at(d.position) + "a shift of now must be at most " + FilterRules.MAX_SHIFT + " units");
        }
        int amount = Integer.parseInt(digits);
        return new Now(minus ? -amount : amount, unit);
    }

    // ---- helpers ----

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            Token t = peek();
            throw new FilterException(
                    FilterException.Kind.RULE_BROKEN,
                    "filter",
                    "max-depth",
                    t.position,
                    FilterRules.at(t.position) + "filters nest at most " + limits.maxDepth() + " levels deep");
        }
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind != Kind.END) {
            index++;
        }
        return t;
    }

    private void expect(Kind kind, String message) {
        Token t = next();
        if (t.kind != kind) {
            throw error(t, message + ", found " + describe(t));
        }
    }

    private static boolean isWord(Token t, String word) {
        return t.kind == Kind.WORD && t.text.equalsIgnoreCase(word);
    }

    private static boolean isKeyword(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "and", "or", "not", "in", "contains", "startswith", "exists", "missing", "true", "false", "now" ->
                true;
            default -> false;
        };
    }

    private FilterException error(Token t, String message) {
        return new FilterException(
                FilterException.Kind.MALFORMED,
                "filter",
                "syntax",
                t.position,
                "position " + t.position + ": " + message);
    }

    /** A token for an error message: short, and a string is not repeated (it may be profile data). */
    private static String describe(Token t) {
        return switch (t.kind) {
            case END -> "the end of the filter";
            case STRING -> "a string";
            case NUMBER, DURATION -> "'" + abbreviate(t.text) + "'";
            default -> "'" + abbreviate(t.text) + "'";
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "…" : s;
    }

    // ---- lexer ----

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int pos = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                out.add(new Token(Kind.LPAREN, "(", pos));
                i++;
            } else if (c == ')') {
                out.add(new Token(Kind.RPAREN, ")", pos));
                i++;
            } else if (c == '[') {
                out.add(new Token(Kind.LBRACKET, "[", pos));
                i++;
            } else if (c == ']') {
                out.add(new Token(Kind.RBRACKET, "]", pos));
                i++;
            } else if (c == ',') {
                out.add(new Token(Kind.COMMA, ",", pos));
                i++;
            } else if (c == '+') {
                out.add(new Token(Kind.PLUS, "+", pos));
                i++;
            } else if (c == '-') {
                out.add(new Token(Kind.MINUS, "-", pos));
                i++;
            } else if (c == '=') {
                // "==" is accepted as a synonym of "=".
                int len = i + 1 < n && s.charAt(i + 1) == '=' ? 2 : 1;
                out.add(new Token(Kind.OP, "=", pos));
                i += len;
            } else if (c == '!') {
                if (i + 1 < n && s.charAt(i + 1) == '=') {
                    out.add(new Token(Kind.OP, "!=", pos));
                    i += 2;
                } else {
                    throw lexError(pos, "'!' must be followed by '='");
                }
            } else if (c == '<' || c == '>') {
                if (i + 1 < n && s.charAt(i + 1) == '=') {
                    out.add(new Token(Kind.OP, c + "=", pos));
                    i += 2;
                } else if (c == '<' && i + 1 < n && s.charAt(i + 1) == '>') {
                    out.add(new Token(Kind.OP, "!=", pos));
                    i += 2;
                } else {
                    out.add(new Token(Kind.OP, String.valueOf(c), pos));
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                i = string(s, i, out);
            } else if (c >= '0' && c <= '9') {
                i = number(s, i, out);
            } else if (isWordStart(c)) {
                int start = i;
                while (i < n && (isWordPart(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.WORD, s.substring(start, i), pos));
            } else {
                throw lexError(
                        pos,
                        "unexpected character '"
                                + (Character.isISOControl(c)
                                        ? "\\u" + String.format("%04x", (int) c)
                                        : String.valueOf(c))
                                + "'");
            }
        }
        out.add(new Token(Kind.END, "", n + 1));
        return out;
    }

    private static int string(String s, int start, List<Token> out) {
        char quote = s.charAt(start);
        StringBuilder b = new StringBuilder();
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == quote) {
                out.add(new Token(Kind.STRING, b.toString(), start + 1));
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    break;
                }
                char e = s.charAt(i + 1);
                switch (e) {
                    case '"', '\'', '\\' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 6 > s.length() || !s.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                            throw lexError(i + 1, "\\u must be followed by four hex digits");
                        }
                        b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                        i += 4;
                    }
                    default ->
                        throw lexError(
                                i + 1, "unknown escape '\\" + e + "'; use \\\", \\', \\\\, \\n, \\t" + " or \\uXXXX");
                }
                i += 2;
                continue;
            }
            b.append(c);
            i++;
        }
        throw lexError(start + 1, "string is not closed: no matching " + quote);
    }

    private static int number(String s, int start, List<Token> out) {
        int i = start;
        int n = s.length();
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i < n && Character.isLetter(s.charAt(i))) {
            int unit = i;
            while (i < n && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (unit - start > 9) {
                throw lexError(start + 1, "duration is too long");
            }
            out.add(new Token(Kind.DURATION, s.substring(start, i), start + 1));
            return i;
        }
        if (i + 1 < n && s.charAt(i) == '.' && Character.isDigit(s.charAt(i + 1))) {
            i++;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i - start > 40) {
            throw lexError(start + 1, "number has more than 40 characters");
        }
        out.add(new Token(Kind.NUMBER, s.substring(start, i), start + 1));
        return i;
    }

    private static boolean isWordStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }

    private static FilterException lexError(int position, String message) {
        return new FilterException(
                FilterException.Kind.MALFORMED, "filter", "syntax", position, "position " + position + ": " + message);
    }
}
