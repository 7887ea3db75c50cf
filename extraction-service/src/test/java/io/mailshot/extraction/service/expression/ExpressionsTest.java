package io.mailshot.extraction.service.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The personalisation language: functions, context values, null handling, and errors with positions. */
class ExpressionsTest {

    private static final List<String> FIELDS =
            List.of("person.firstName", "person.lastName", "birthDate", "balance", "title", "zip");
    private static final ExpressionContext CONTEXT = new ExpressionContext(
            FIELDS,
            Map.of("promo", "SPRING24"),
            "Spring mailing",
            "c-1",
            "r-1",
            LocalDate.of(2026, 3, 1),
            "dd/MM/yyyy",
            null);
    private static final List<String> ROW =
            Arrays.asList("jean-pierre", "o'neil", "1980-02-29", "1234.5", null, "00123");

    private static String eval(String expression) throws ExpressionException {
        return Expressions.compile(expression, CONTEXT).evaluate(ROW);
    }

    @Test
    void string_functions() throws ExpressionException {
        assertEquals("O'NEIL", eval("upper(person.lastName)"));
        assertEquals("jean-pierre", eval("lower(\"JEAN-PIERRE\")"));
        assertEquals("Jean-Pierre", eval("capitalize(person.firstName)"));
        assertEquals("O'neil Don't", eval("capitalize(concat(person.lastName, ' DON\\'T'))"));
        assertEquals("x", eval("trim('  x ')"));
        assertEquals("jean", eval("substring(person.firstName, 0, 4)"));
        assertEquals("pierre", eval("substring(person.firstName, 5)"));
        assertEquals("", eval("substring(person.firstName, 50, 60)"));
        assertEquals("jea", eval("truncate(person.firstName, 3)"));
        assertEquals("😀a", eval("truncate('😀ab', 2)"), "counts characters, never splits an emoji");
        assertEquals("0000000123", eval("padLeft(zip, 10, '0')"));
        assertEquals("00123     ", eval("padRight(zip, 10)"));
        assertEquals("00123", eval("padLeft(zip, 3, '0')"), "never shortens");
        assertEquals("jean pierre", eval("replace(person.firstName, '-', ' ')"));
        assertEquals("Dear jean-pierre o'neil", eval("concat('Dear ', person.firstName, \" \", person.lastName)"));
    }

    @Test
    void defaults_conditions_and_missing_values() throws ExpressionException {
        assertNull(eval("upper(title)"), "functions of a missing value are missing");
        assertEquals("Customer", eval("default(title, 'Customer')"));
        assertEquals("jean-pierre", eval("default(person.firstName, 'Customer')"));
        assertEquals("no title", eval("if(present(title), title, 'no title')"));
        assertEquals("yes", eval("if(eq(zip, '00123'), 'yes', 'no')"));
        assertEquals("no", eval("if(eq(zip, 123), 'yes', 'no')"), "leading zeros are text, not numbers");
        assertEquals("empty", eval("if(eq(title, ''), 'empty', 'set')"));
        assertEquals("x", eval("concat(title, 'x')"));
    }

    @Test
    void context_values_and_constants() throws ExpressionException {
        assertEquals("SPRING24", eval("const.promo"));
        assertEquals(
                "Spring mailing/c-1/r-1/2026-03-01",
                eval("concat(campaign.name, '/', campaign.id, '/', run.id, '/', run.date)"));
    }

    @Test
    void dates_and_numbers() throws ExpressionException {
        assertEquals("29/02/1980", eval("formatDate(birthDate)"), "the format's default pattern");
        assertEquals("1980", eval("formatDate(birthDate, 'yyyy')"));
        assertEquals("01.03.2026", eval("formatDate(run.date, 'dd.MM.yyyy')"));
        assertEquals("2026-03-01 14:05", eval("formatDate('2026-03-01T14:05:09Z', 'yyyy-MM-dd HH:mm')"));
        assertEquals("2026-03-01 14:05", eval("formatDate('2026-03-01T14:05:09', 'yyyy-MM-dd HH:mm')"));
        assertNull(eval("formatDate('not a date', 'yyyy')"));
        // The plain yyyy-MM-dd shape takes a fast path; it must agree with the general parser.
        assertEquals("31/12/1999", eval("formatDate(' 1999-12-31 ', 'dd/MM/yyyy')"));
        assertNull(eval("formatDate('2026-02-30', 'yyyy')"), "no such day");
        assertNull(eval("formatDate('2026-13-01', 'yyyy')"), "no such month");
        assertNull(eval("formatDate('２０２６-01-01', 'yyyy')"), "only ASCII digits, as the ISO parser");
        assertEquals("+10000-01-01", eval("formatDate('+10000-01-01', 'uuuu-MM-dd')"), "other shapes still parse");
        assertEquals("?", eval("default(formatDate('31/12/2020'), '?')"));
        assertEquals("1,234.50", eval("formatNumber(balance, '#,##0.00')"));
        assertEquals("1234.5", eval("formatNumber(balance)"));
        assertEquals("0123", eval("formatNumber('123', '0000')"));
        assertNull(eval("formatNumber('abc', '0')"));
    }

    @Test
    void unknown_functions_and_wrong_arity_are_reported_with_their_position() {
        ExpressionException unknown = assertThrows(
                ExpressionException.class, () -> Expressions.compile("concat('a', shout(person.lastName))", CONTEXT));
        assertEquals(12, unknown.position());
        assertTrue(unknown.getMessage().contains("unknown function 'shout'"), unknown.getMessage());

        ExpressionException arity = assertThrows(
                ExpressionException.class, () -> Expressions.compile("upper(person.lastName, 'x')", CONTEXT));
        assertEquals(0, arity.position());
        assertTrue(arity.getMessage().contains("upper takes 1 argument"), arity.getMessage());

        ExpressionException type = assertThrows(
                ExpressionException.class, () -> Expressions.compile("truncate(person.lastName, zip)", CONTEXT));
        assertEquals(26, type.position());

        ExpressionException cond =
                assertThrows(ExpressionException.class, () -> Expressions.compile("if(title, 'a', 'b')", CONTEXT));
        assertEquals(3, cond.position());

        ExpressionException bare =
                assertThrows(ExpressionException.class, () -> Expressions.compile("present(title)", CONTEXT));
        assertEquals(0, bare.position());

        ExpressionException pattern = assertThrows(
                ExpressionException.class, () -> Expressions.compile("formatDate(birthDate, 'yyyy-qqqqqq')", CONTEXT));
        assertEquals(22, pattern.position());

        ExpressionException path =
                assertThrows(ExpressionException.class, () -> Expressions.compile("lower(person.middleName)", CONTEXT));
        assertEquals(6, path.position());
        assertTrue(path.getMessage().contains("not carried"), path.getMessage());

        assertEquals(
                5,
                assertThrows(ExpressionException.class, () -> Expressions.compile("const.nope", CONTEXT))
                                .position()
                        + 5);
        assertEquals(
                13,
                assertThrows(ExpressionException.class, () -> Expressions.compile("upper('x'    ", CONTEXT))
                        .position());
        assertEquals(
                6,
                assertThrows(ExpressionException.class, () -> Expressions.compile("upper('x) ", CONTEXT))
                        .position());
        assertEquals(
                9,
                assertThrows(ExpressionException.class, () -> Expressions.compile("upper(zip) zip", CONTEXT))
                                .position()
                        - 2);
    }

    @Test
    void checking_without_a_run_lists_the_paths_read() throws ExpressionException {
        CompiledExpression checked = Expressions.check(
                "if(present(person.title), concat(person.title, ' ', person.lastName), upper(person.lastName))");
        assertEquals(List.of("person.title", "person.lastName"), checked.paths());
        assertEquals(
                List.of(),
                Expressions.check("concat(const.x, campaign.name, run.date)").paths());
        assertEquals(
                List.of("homeAddress.postalCode"),
                Expressions.check("homeAddress.postalCode").paths());
    }
}
