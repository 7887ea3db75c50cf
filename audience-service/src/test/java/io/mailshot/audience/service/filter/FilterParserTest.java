package io.mailshot.audience.service.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    private static final FilterLimits LIMITS = FilterLimits.defaults();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FilterNode parse(String text) {
        return FilterParser.parse(text, LIMITS);
    }

    private static Comparison cmp(String path, FilterOperator op, Literal... values) {
        return new Comparison(path, op, List.of(values));
    }

    @Test
    void everyComparisonOperator() {
        assertEquals(
                cmp("homeAddress.countryCode", FilterOperator.EQ, new Text("FR")),
                parse("homeAddress.countryCode = \"FR\""));
        assertEquals(cmp("a", FilterOperator.EQ, new Text("x")), parse("a == 'x'"));
        assertEquals(cmp("a", FilterOperator.NEQ, new Text("x")), parse("a != \"x\""));
        assertEquals(cmp("a", FilterOperator.NEQ, new Text("x")), parse("a <> \"x\""));
        assertEquals(cmp("a.points", FilterOperator.LT, new Number(new BigDecimal("100"))), parse("a.points < 100"));
        assertEquals(cmp("a", FilterOperator.LE, new Number(new BigDecimal("-2.5"))), parse("a <= -2.5"));
        assertEquals(cmp("a", FilterOperator.GT, new Text("m")), parse("a > \"m\""));
        assertEquals(cmp("a", FilterOperator.GE, new Number(new BigDecimal("0"))), parse("a>=0"));
        assertEquals(
                cmp("a", FilterOperator.IN, new Text("FR"), new Text("BE"), new Number(BigDecimal.ONE)),
                parse("a in (\"FR\", 'BE', 1)"));
        assertEquals(cmp("a", FilterOperator.IN, new Text("FR")), parse("a IN [\"FR\"]"));
        assertEquals(new Not(cmp("a", FilterOperator.IN, new Text("FR"))), parse("a not in (\"FR\")"));
        assertEquals(cmp("a", FilterOperator.CONTAINS, new Text("golf")), parse("a contains \"golf\""));
        assertEquals(
                cmp("person.name.lastName", FilterOperator.STARTS_WITH, new Text("O'")),
                parse("person.name.lastName startsWith \"O'\""));
        assertEquals(cmp("a", FilterOperator.STARTS_WITH, new Text("x")), parse("a STARTSWITH 'x'"));
        assertEquals(cmp("a", FilterOperator.EXISTS), parse("a exists"));
        assertEquals(cmp("a", FilterOperator.MISSING), parse("a missing"));
        assertEquals(cmp("a", FilterOperator.EQ, new Bool(true)), parse("a = true"));
    }

    @Test
    void relativeDates() {
        assertEquals(
                cmp("attributes.birthDate", FilterOperator.LT, new Now(-18, DurationUnit.YEARS)),
                parse("attributes.birthDate < now - 18y"));
        assertEquals(
                cmp("lastPurchase", FilterOperator.GE, new Now(-30, DurationUnit.DAYS)),
                parse("lastPurchase >= now - 30d"));
        assertEquals(cmp("x", FilterOperator.GT, new Now(6, DurationUnit.MONTHS)), parse("x > now + 6mo"));
        assertEquals(cmp("x", FilterOperator.GT, new Now(-2, DurationUnit.WEEKS)), parse("x > now-2w"));
        assertEquals(cmp("x", FilterOperator.LE, new Now(-12, DurationUnit.HOURS)), parse("x <= NOW - 12h"));
        assertEquals(cmp("x", FilterOperator.LE, new Now(0, DurationUnit.DAYS)), parse("x <= now"));
    }

    @Test
    void precedenceNestingAndParentheses() {
        Comparison a = cmp("a", FilterOperator.EQ, new Number(BigDecimal.ONE));
        Comparison b = cmp("b", FilterOperator.EQ, new Number(new BigDecimal("2")));
        Comparison c = cmp("c", FilterOperator.EQ, new Number(new BigDecimal("3")));
        // and binds tighter than or
        assertEquals(new Or(List.of(a, new And(List.of(b, c)))), parse("a = 1 or b = 2 and c = 3"));
        assertEquals(new And(List.of(new Or(List.of(a, b)), c)), parse("(a = 1 or b = 2) and c = 3"));
        assertEquals(new And(List.of(a, new Not(new Or(List.of(b, c))))), parse("a = 1 AND NOT (b = 2 Or c = 3)"));
        assertEquals(new Not(new Not(a)), parse("not not a = 1"));
        assertEquals(a, parse("((((a = 1))))"));
    }

    @Test
    void theIssueExampleParsesAndRoundTrips() throws Exception {
        String text = "homeAddress.countryCode = \"FR\" and attributes.loyalty.points >= 100 and not"
                + " (person.name.lastName startsWith \"O'\") and (attributes.birthDate < now - 18y or"
                + " attributes.tags contains \"vip\" or attributes.tier in (\"gold\", \"silver\", 3))"
                + " and homeAddress.street2 missing and email exists and a != \"tab\\tquote\\\"back\\\\slash\"";
        FilterNode tree = parse(text);
        // Text → tree → canonical text → the same tree.
        assertEquals(tree, parse(FilterJson.text(tree)));
        // Tree → JSON AST → (through a real JSON round trip) → the same tree.
        JsonNode ast = JSON.readTree(JSON.writeValueAsString(FilterJson.write(tree)));
        assertEquals(tree, FilterJson.read(ast, LIMITS));
        assertEquals("and", ast.fieldNames().next());
    }

    @Test
    void jsonAstForm() throws Exception {
        JsonNode ast = JSON.readTree("""
                {"and": [
                  {"path": "homeAddress.countryCode", "op": "=", "value": "FR"},
                  {"or": [
                    {"path": "attributes.loyalty.points", "op": "gte", "value": 100},
                    {"not": {"path": "attributes.birthDate", "op": "<", "value": {"now": "-18y"}}}
                  ]},
                  {"path": "attributes.tier", "op": "in", "values": ["gold", 2, true]},
                  {"path": "x", "op": "startsWith", "value": "O'"},
                  {"path": "y", "op": "exists"}
                ]}""");
        FilterNode tree = FilterJson.read(ast, LIMITS);
        assertEquals(
                parse("homeAddress.countryCode = \"FR\" and (attributes.loyalty.points >= 100 or not"
                        + " (attributes.birthDate < now - 18y)) and attributes.tier in (\"gold\", 2, true)"
                        + " and x startsWith \"O'\" and y exists"),
                tree);
        // The legacy list of conditions is an AND.
        JsonNode legacy = JSON.readTree("[{\"path\":\"a\",\"op\":\"eq\",\"value\":\"x\"},"
                + "{\"path\":\"b\",\"op\":\"in\",\"values\":[\"1\",\"2\"]},{\"path\":\"c\",\"op\":\"missing\"}]");
        assertEquals(
                new And(List.of(
                        cmp("a", FilterOperator.EQ, new Text("x")),
                        cmp("b", FilterOperator.IN, new Text("1"), new Text("2")),
                        cmp("c", FilterOperator.MISSING))),
                FilterJson.read(legacy, LIMITS));
        // A JSON string is a text filter.
        assertEquals(parse("a = 1"), FilterJson.read(JSON.readTree("\"a = 1\""), LIMITS));
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertError("homeAddress.countryCode = ", 27, "expected a value");
        assertError("a = \"FR\" and", 13, "expected a path");
        assertError("a = \"FR\" or or b = 1", 13, "expected a path");
        assertError("(a = 1", 7, "expected ')' to close the '(' at position 1");
        assertError("a = 1)", 6, "expected and, or or the end");
        assertError("a = \"unterminated", 5, "string is not closed");
        assertError("a like \"x\"", 3, "expected an operator");
        assertError("a = FR", 5, "quote text values");
        assertError("a ! 1", 3, "'!' must be followed by '='");
        assertError("a = 1 ; drop table profile", 7, "unexpected character ';'");
        assertError("a < now - 18x", 11, "unknown duration unit");
        assertError("a < now - 18", 11, "expected a duration");
        assertError("a in \"x\"", 6, "expected '(' or '['");
        assertError("a in (\"x\" \"y\")", 11, "expected ',' or the end of the list");
        assertError("and = 1", 1, "expected a path");
        assertError("a = \"\\q\"", 6, "unknown escape");
    }

    private static void assertError(String text, int position, String message) {
        FilterException e = assertThrows(FilterException.class, () -> parse(text), text);
        assertEquals(position, e.position(), text + " → " + e.getMessage());
        assertEquals("filter", e.field());
        assertTrue(e.getMessage().startsWith("position " + position + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void injectionInPathsIsRefusedAndInValuesIsALiteral() {
        assertError("a'); drop table profile; -- = 1", 2, "string is not closed");
        assertError("a\"=\"\" or 1=1 --", 5, "string is not closed");
        assertError("homeAddress.city; delete from profile = 1", 17, "unexpected character ';'");
        FilterException badPath = assertThrows(FilterException.class, () -> parse("homeAddress..city = 1"));
        assertEquals("Pattern", badPath.rule());
        assertEquals(1, badPath.position());
        assertEquals(FilterException.Kind.MALFORMED, badPath.kind());
        assertEquals(
                cmp("homeAddress.city", FilterOperator.EQ, new Text("x' or '1'='1")),
                parse("homeAddress.city = \"x' or '1'='1\""));
        assertEquals(
                cmp("homeAddress.city", FilterOperator.EQ, new Text("'); drop table profile; --")),
                parse("homeAddress.city = '\\'); drop table profile; --'"));
    }

    @Test
    void limitsBoundSizeAndDepth() {
        FilterLimits small = new FilterLimits(200, 3, 3, 2);
        assertEquals(
                "max-conditions",
                assertThrows(
                                FilterException.class,
                                () -> FilterParser.parse("a = 1 and b = 2 and c = 3 and d = 4", small))
                        .rule());
        assertEquals(
                "max-depth",
                assertThrows(FilterException.class, () -> FilterParser.parse("((((a = 1))))", small))
                        .rule());
        assertEquals(
                "max-depth",
                assertThrows(FilterException.class, () -> FilterParser.parse("not not not not a = 1", small))
                        .rule());
        assertEquals(
                "max-values",
                assertThrows(FilterException.class, () -> FilterParser.parse("a in (1, 2, 3)", small))
                        .rule());
        assertEquals(
                "max-length",
                assertThrows(FilterException.class, () -> FilterParser.parse("a = \"" + "x".repeat(300) + "\"", small))
                        .rule());
        // A deeply nested body is refused by the bound, never by a stack overflow.
        String deep = "(".repeat(5000) + "a = 1" + ")".repeat(5000);
        assertEquals(
                "max-depth",
                assertThrows(
                                FilterException.class,
                                () -> FilterParser.parse(deep, new FilterLimits(20_000, 16, 50, 10)))
                        .rule());
        assertEquals(
                "range",
                assertThrows(FilterException.class, () -> parse("a < now - 99999y"))
                        .rule());
        assertEquals(
                "required",
                assertThrows(FilterException.class, () -> parse("   ")).rule());
    }

    @Test
    void jsonErrorsNameTheMember() throws Exception {
        assertJsonError(
                "{\"and\": [{\"path\": \"a\", \"op\": \"=\", \"value\": 1}, {\"path\": \"b;\", \"op\": \"exists\"}]}",
                "filter.and[1].path",
                "Pattern");
        assertJsonError("{\"or\": []}", "filter.or", "required");
        assertJsonError("{\"not\": {\"path\": \"a\", \"op\": \"like\", \"value\": 1}}", "filter.not.op", "enum");
        assertJsonError("{\"path\": \"a\", \"op\": \"=\"}", "filter.value", "required");
        assertJsonError(
                "{\"path\": \"a\", \"op\": \"=\", \"value\": {\"now\": \"18 years\"}}", "filter.value.now", "pattern");
        assertJsonError("{\"path\": \"a\", \"op\": \"=\", \"value\": 1, \"sql\": \"1=1\"}", "filter", "known-field");
        assertJsonError("{\"and\": [], \"or\": []}", "filter", "known-field");
        assertJsonError("42", "filter", "type");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            deep.append("{\"not\": ");
        }
        deep.append("{\"path\": \"a\", \"op\": \"exists\"}").append("}".repeat(40));
        assertJsonError(deep.toString(), null, "max-depth");
    }

    private static void assertJsonError(String json, String field, String rule) throws Exception {
        FilterException e = assertThrows(FilterException.class, () -> FilterJson.read(JSON.readTree(json), LIMITS));
        if (field != null) {
            assertEquals(field, e.field(), e.getMessage());
        }
        assertEquals(rule, e.rule(), e.getMessage());
    }
}
