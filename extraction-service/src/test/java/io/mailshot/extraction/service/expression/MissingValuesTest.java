package io.mailshot.extraction.service.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README's rule: a function of a missing value is missing (an empty field), except where it documents
 * otherwise: {@code default} supplies its fallback, {@code concat} and {@code eq} take a missing value as empty,
 * {@code present} is false, and {@code if} picks a branch. A value is missing when it is absent or empty (a file
 * cannot tell them apart). One case per function of the language, for an absent and for an empty value.
 */
class MissingValuesTest {

    private static final List<String> FIELDS = List.of("missing", "zip");
    private static final ExpressionContext CONTEXT = new ExpressionContext(
            FIELDS, Map.of(), "Campaign", "c-1", "r-1", LocalDate.of(2026, 3, 1), "dd/MM/yyyy", "0.00");

    /** Each function applied to the missing value, and what the README says it gives (null: missing). */
    private static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("upper", new Case("upper(missing)", null));
        cases.put("lower", new Case("lower(missing)", null));
        cases.put("capitalize", new Case("capitalize(missing)", null));
        cases.put("trim", new Case("trim(missing)", null));
        cases.put("default", new Case("default(missing, 'Customer')", "Customer"));
        cases.put("concat", new Case("concat(missing, 'x', missing)", "x"));
        cases.put("substring", new Case("substring(missing, 0, 3)", null));
        cases.put("truncate", new Case("truncate(missing, 3)", null));
        cases.put("padLeft", new Case("padLeft(missing, 5, '0')", null));
        cases.put("padRight", new Case("padRight(missing, 5)", null));
        cases.put("replace", new Case("replace(missing, 'a', 'x')", null));
        cases.put("formatDate", new Case("formatDate(missing)", null));
        cases.put("formatNumber", new Case("formatNumber(missing)", null));
        cases.put("if", new Case("if(present(zip), missing, 'b')", null));
        cases.put("present", new Case("if(present(missing), 'yes', 'no')", "no"));
        cases.put("eq", new Case("if(eq(missing, ''), 'equal', 'different')", "equal"));
        return cases;
    }

    private record Case(String expression, String expected) {}

    @Test
    void there_is_a_case_for_every_function() {
        assertEquals(Expressions.Functions.NAMES, cases().keySet());
    }

    @TestFactory
    Stream<DynamicTest> a_function_of_an_absent_value() {
        return test(Arrays.asList(null, "00123"));
    }

    @TestFactory
    Stream<DynamicTest> a_function_of_an_empty_value() {
        return test(Arrays.asList("", "00123"));
    }

    private static Stream<DynamicTest> test(List<String> row) {
        return cases().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String actual = Expressions.compile(e.getValue().expression(), CONTEXT)
                            .evaluate(row);
                    if (e.getValue().expected() == null) {
                        assertTrue(
                                actual == null || actual.isEmpty(),
                                e.getValue().expression() + " gave '" + actual + "'");
                    } else {
                        assertEquals(
                                e.getValue().expected(), actual, e.getValue().expression());
                    }
                }));
    }

    @Test
    void the_other_arguments_of_replace_take_a_missing_value_as_empty() throws ExpressionException {
        List<String> row = Arrays.asList(null, "00123");
        assertEquals(
                "00123",
                Expressions.compile("replace(zip, missing, 'x')", CONTEXT).evaluate(row),
                "a missing target replaces nothing");
        assertEquals(
                "123",
                Expressions.compile("replace(zip, '0', missing)", CONTEXT).evaluate(row),
                "a missing replacement removes the target");
    }

    @Test
    void a_present_value_is_still_padded() throws ExpressionException {
        List<String> row = Arrays.asList(null, "123");
        assertEquals(
                "00123", Expressions.compile("padLeft(zip, 5, '0')", CONTEXT).evaluate(row));
        assertEquals("123  ", Expressions.compile("padRight(zip, 5)", CONTEXT).evaluate(row));
    }
}
