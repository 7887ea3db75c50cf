package io.mailshot.extraction.service.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every function of the language is bounded in time and memory whatever the row holds: a value that would pass
 * 4096 characters is never built (the row is rejected with a reason that holds no value), and an expression whose
 * worst case costs more than {@link Expressions#MAX_COST} is refused when compiled. Memory is measured as the
 * bytes the evaluating thread allocates (deterministic, unlike time on a shared machine).
 */
class ExpressionBoundsTest {

    private static final int MAX = Nodes.MAX_VALUE;
    /** Far above what a bounded evaluation allocates (tens of kilobytes), far below an unbounded one (gigabytes). */
    private static final long ONE_MEGABYTE = 1 << 20;

    private static final List<String> FIELDS = List.of("v", "w", "x");
    private static final ExpressionContext CONTEXT = new ExpressionContext(
            FIELDS, Map.of("promo", "P"), "Campaign", "c-1", "r-1", LocalDate.of(2026, 3, 1), null, null);

    private static CompiledExpression compile(String expression) throws ExpressionException {
        return Expressions.compile(expression, CONTEXT);
    }

    private static String eval(String expression, String v) throws ExpressionException {
        return compile(expression).evaluate(Arrays.asList(v, null, null));
    }

    /** Bytes the current thread allocates while running {@code action}. */
    private static long allocatedBy(Runnable action) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        action.run(); // once to load classes and warm caches, which allocate on their own
        long before = threads.getThreadAllocatedBytes(thread);
        action.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }

    private static ExpressionLimitException rejected(String expression, String v) {
        return assertThrows(ExpressionLimitException.class, () -> eval(expression, v), expression);
    }

    // ---- numbers ----

    @Test
    void a_huge_exponent_is_refused_before_a_digit_is_written() throws ExpressionException {
        String huge = "1E+999999999";
        for (String expression : List.of("formatNumber(v)", "formatNumber(v, '#,##0.00')", "formatNumber(v, '0')")) {
            ExpressionLimitException e = rejected(expression, huge);
            assertEquals(
                    "expression position 0: formatNumber's value would be longer than 4096 characters",
                    e.getMessage(),
                    "names the function and the bound, never the value");
            CompiledExpression compiled = compile(expression);
            long bytes = allocatedBy(() -> assertThrows(
                    ExpressionLimitException.class, () -> compiled.evaluate(Arrays.asList(huge, null, null))));
            assertTrue(bytes < ONE_MEGABYTE, expression + " allocated " + bytes + " bytes (the digits would be 2 GB)");
        }
        assertEquals("1E999999999", eval("formatNumber(v, '0.###E0')", huge), "scientific notation stays short");
        rejected("formatNumber(v)", "1E-999999999");
        assertEquals("0.00", eval("formatNumber(v, '0.00')", "1E-999999999"), "rounded away, nothing long built");
        assertEquals("0", eval("formatNumber(v)", "0E+999999999"), "zero is one digit whatever its exponent");
    }

    @Test
    void plain_numbers_are_bounded_at_exactly_the_value_bound() throws ExpressionException {
        assertEquals(MAX, eval("formatNumber(v)", "1E+4095").length());
        rejected("formatNumber(v)", "1E+4096");
        assertEquals(MAX, eval("formatNumber(v)", "-1E+4094").length(), "the sign counts");
        rejected("formatNumber(v)", "-1E+4095");
        assertEquals(MAX, eval("formatNumber(v)", "1E-4094").length(), "0. and 4094 digits");
        rejected("formatNumber(v)", "1E-4095");
        // With grouping, the separators count too: 3073 digits print 4097 characters with ',' every 3.
        assertEquals(4095, eval("formatNumber(v, '#,##0')", "1E+3071").length());
        rejected("formatNumber(v, '#,##0')", "1E+3072");
    }

    @Test
    void a_number_too_long_to_read_rejects_the_row_and_long_text_is_not_a_number() throws ExpressionException {
        String digits = "7".repeat(Expressions.Functions.MAX_NUMBER_LENGTH);
        assertEquals(digits, eval("formatNumber(v)", digits));
        ExpressionLimitException e = rejected("formatNumber(v, '0.00')", digits + "7");
        assertEquals("expression position 0: formatNumber's number is longer than 100 characters", e.getMessage());
        assertNull(eval("formatNumber(v)", "x".repeat(MAX)), "text of any length is simply not a number");
        assertNull(eval("formatNumber(v)", "-".repeat(MAX)), "nor is punctuation without a digit");
    }

    // ---- text ----

    @Test
    void nested_replaces_past_the_work_budget_are_refused_when_compiled() throws ExpressionException {
        // Each replace of a value of up to 4096 characters reads and writes up to 4096: about 8208 units.
        assertTrue(compile(nested("replace(", "v", ", '-', '')", 15)).cost() <= Expressions.MAX_COST);
        ExpressionException sixteen =
                assertThrows(ExpressionException.class, () -> compile(nested("replace(", "v", ", '-', '')", 16)));
        assertEquals(0, sixteen.position());
        assertTrue(sixteen.getMessage().contains("more than the " + Expressions.MAX_COST), sixteen.getMessage());

        // The 31 nested calls: refused at the 16th from the inside, where it must get cheaper.
        ExpressionException thirtyOne =
                assertThrows(ExpressionException.class, () -> compile(nested("replace(", "v", ", '-', '')", 31)));
        assertEquals("replace(".length() * (31 - 16), thirtyOne.position());

        // The same 31 calls on a value shortened first cost little, and work.
        CompiledExpression shortened = compile(nested("replace(", "truncate(v, 40)", ", '-', '')", 31));
        assertTrue(shortened.cost() <= Expressions.MAX_COST);
        assertEquals("abc", shortened.evaluate(Arrays.asList("a-b-c", null, null)));
    }

    @Test
    void replace_never_builds_a_value_past_the_bound() throws ExpressionException {
        String expression = "replace(v, 'a', '" + "b".repeat(100) + "')";
        String value = "a".repeat(MAX);
        ExpressionLimitException e = rejected(expression, value);
        assertEquals("expression position 0: replace's value would be longer than 4096 characters", e.getMessage());
        CompiledExpression compiled = compile(expression);
        long bytes = allocatedBy(() -> assertThrows(
                ExpressionLimitException.class, () -> compiled.evaluate(Arrays.asList(value, null, null))));
        assertTrue(bytes < ONE_MEGABYTE, "allocated " + bytes + " bytes (the whole result would be 800 KB)");
        assertEquals(MAX, eval("replace(v, 'a', 'bb')", "a".repeat(MAX / 2)).length(), "exactly the bound is fine");
        rejected("replace(v, 'a', 'bb')", "a".repeat(MAX / 2 + 1));
        assertEquals(
                MAX,
                eval("replace(v, 'a', 'bb')", "a".repeat(MAX / 2 - 1) + "c".repeat(2))
                        .length());
    }

    @Test
    void replace_with_long_targets_finds_what_string_replace_finds() {
        Random random = new Random(17);
        for (int i = 0; i < 5000; i++) {
            String value = randomText(random, random.nextInt(200));
            String target = randomText(random, 5 + random.nextInt(12));
            if (random.nextBoolean() && value.length() > target.length()) {
                int at = random.nextInt(value.length() - target.length());
                value = value.substring(0, at) + target + value.substring(at); // at least one occurrence
            }
            String replacement = randomText(random, random.nextInt(8));
            assertEquals(
                    value.replace(target, replacement),
                    Expressions.Functions.replace(
                            value, target, Expressions.Functions.failureTable(target), replacement, 0),
                    value + " / " + target);
        }
        // Overlapping candidates: matches are taken left to right, each after the previous one, as String does.
        assertEquals(
                "aaaaaaaaaaaa".replace("aaaaa", "X"),
                Expressions.Functions.replace(
                        "aaaaaaaaaaaa", "aaaaa", Expressions.Functions.failureTable("aaaaa"), "X", 0));
        assertEquals(
                "aaaaaaaaaaaaab".replace("aaaaab", "X"),
                Expressions.Functions.replace(
                        "aaaaaaaaaaaaab", "aaaaab", Expressions.Functions.failureTable("aaaaab"), "X", 0));
    }

    @Test
    void concat_of_values_longer_than_the_bound_rejects_the_row_instead_of_cutting_it() throws ExpressionException {
        assertEquals(MAX, eval("concat(v, v)", "x".repeat(MAX / 2)).length());
        ExpressionLimitException e = rejected("concat(v, v, 'y')", "x".repeat(MAX / 2));
        assertEquals("expression position 0: concat's value would be longer than 4096 characters", e.getMessage());
    }

    @Test
    void padding_is_bounded_when_compiled_and_when_evaluated() throws ExpressionException {
        assertEquals(MAX, eval("padLeft(v, 4096, 'x')", "a").length());
        assertThrows(ExpressionException.class, () -> compile("padLeft(v, 4097, 'x')"));
        ExpressionException wide = assertThrows(ExpressionException.class, () -> compile("padRight(v, 2049, '😀')"));
        assertTrue(wide.getMessage().contains("width times its pad's length"), wide.getMessage());
        assertEquals(MAX, eval("padRight(v, 2048, '😀')", "😀").length());
        // A value of 4096 code points that are surrogate pairs is 8192 characters: past the bound of a read value.
        ExpressionLimitException pairs = rejected("padLeft(v, 10)", "😀".repeat(MAX));
        assertEquals("expression position 8: the value of 'v' is longer than 4096 characters", pairs.getMessage());
    }

    @Test
    void case_mapping_that_lengthens_a_value_past_the_bound_rejects_the_row() throws ExpressionException {
        assertEquals("SS".repeat(MAX / 2), eval("upper(v)", "ß".repeat(MAX / 2)));
        ExpressionLimitException e = rejected("upper(v)", "ß".repeat(MAX / 2 + 1));
        assertEquals("expression position 0: upper's value would be longer than 4096 characters", e.getMessage());
        assertEquals("i\u0307".repeat(MAX / 2), eval("lower(v)", "\u0130".repeat(MAX / 2)));
        rejected("lower(v)", "\u0130".repeat(MAX / 2 + 1));
    }

    @Test
    void case_mapping_is_linear_and_gives_what_the_jdk_gives() throws ExpressionException {
        // The JDK copies its result again per lengthening character: 4096 ß allocate 50 MB there.
        for (String expression : List.of("upper(v)", "lower(v)")) {
            for (String value : List.of("ß".repeat(2048), "ﬀ".repeat(1365), "ΐ".repeat(1365), "\u0130".repeat(2048))) {
                CompiledExpression compiled = compile(expression);
                long bytes = allocatedBy(() -> compiled.evaluate(Arrays.asList(value, null, null)));
                assertTrue(bytes < 256 * 1024, expression + " allocated " + bytes + " bytes");
            }
        }
        Random random = new Random(42);
        String alphabet = "aßẞﬀΐİIıiΣσςΑ Bǆǅ😀\uD801\uDC00-'.\u0307x";
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(80); k > 0; k--) { // both sides of the short-value path
                b.appendCodePoint(alphabet.codePointAt(
                        alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            String value = b.toString();
            assertEquals(value.toUpperCase(Locale.ROOT), Expressions.Functions.upper(value, 0), value);
            assertEquals(value.toLowerCase(Locale.ROOT), Expressions.Functions.lower(value, 0), value);
        }
    }

    @Test
    void substring_and_truncate_indices_are_bounded_literals() throws ExpressionException {
        assertEquals("", eval("substring(v, 4096)", "abc"));
        assertThrows(ExpressionException.class, () -> compile("substring(v, 0, 4097)"));
        assertThrows(ExpressionException.class, () -> compile("truncate(v, 4097)"));
        assertThrows(ExpressionException.class, () -> compile("substring(v, 9999999)"), "seven digits");
    }

    @Test
    void dates_with_huge_years_print_a_few_characters_and_patterns_are_bounded() throws ExpressionException {
        assertEquals("+999999999", eval("formatDate(v, 'yyyy')", "+999999999-12-31"));
        assertEquals("31/12/+999999999", eval("formatDate(v, 'dd/MM/uuuu')", "+999999999-12-31"));
        assertNull(eval("formatDate(v, 'yyyy')", "+9999999999-12-31"), "past the ISO range: not a date");
        assertNull(eval("formatDate(v, 'yyyy')", "1".repeat(MAX)));
        String longest = "d".repeat(2) + "'" + "x".repeat(Nodes.MAX_VALUE / 32 - 4) + "'";
        assertEquals(Nodes.MAX_VALUE / 32, longest.length());
        compile("formatDate(v, \"" + longest + "\")");
        ExpressionException e =
                assertThrows(ExpressionException.class, () -> compile("formatDate(v, \"" + longest + "x\")"));
        assertTrue(e.getMessage().contains("date pattern is longer than 128"), e.getMessage());
    }

    @Test
    void values_read_and_constants_are_bounded() throws ExpressionException {
        ExpressionLimitException e = rejected("upper(v)", "x".repeat(MAX + 1));
        assertEquals("expression position 6: the value of 'v' is longer than 4096 characters", e.getMessage());
        assertEquals(MAX, eval("upper(v)", "x".repeat(MAX)).length());
        ExpressionContext longConstant = new ExpressionContext(
                FIELDS, Map.of("big", "c".repeat(MAX + 1)), "", "", "", LocalDate.of(2026, 1, 1), null, null);
        ExpressionException c =
                assertThrows(ExpressionException.class, () -> Expressions.compile("concat(const.big)", longConstant));
        assertEquals(7, c.position());
    }

    @Test
    void nesting_is_bounded() {
        String deep = "upper(".repeat(40) + "v" + ")".repeat(40);
        ExpressionException e = assertThrows(ExpressionException.class, () -> compile(deep));
        assertTrue(e.getMessage().contains("nest at most 32"), e.getMessage());
    }

    @Test
    void checking_without_a_run_costs_what_the_run_costs() throws ExpressionException {
        // Constants and context values count as values of any length, so a check and a run agree on the budget.
        String expression = nested("replace(", "concat(const.promo, campaign.name)", ", '-', '')", 13);
        assertEquals(Expressions.check(expression).cost(), compile(expression).cost());
    }

    /**
     * Every function on the worst values a row can hold: each either gives a value of at most 4096 characters or
     * rejects the row, within its compile-time cost, allocating kilobytes, never more.
     */
    @TestFactory
    Stream<DynamicTest> every_function_is_bounded_on_worst_case_values() {
        Map<String, String> worst = new LinkedHashMap<>();
        worst.put("upper", "upper(v)");
        worst.put("lower", "lower(v)");
        worst.put("capitalize", "capitalize(v)");
        worst.put("trim", "trim(v)");
        worst.put("default", "default(v, w)");
        worst.put("concat", "concat(v, w, v, w, v, w, v, w)");
        worst.put("substring", "substring(v, 1, 4096)");
        worst.put("truncate", "truncate(v, 4096)");
        worst.put("padLeft", "padLeft(v, 2048, '😀')");
        worst.put("padRight", "padRight(v, 4096)");
        worst.put("replace", "replace(v, w, v)");
        worst.put("formatDate", "formatDate(v, 'NNNNNNNNNNNNNN uuuu GGGG')");
        worst.put("formatNumber", "formatNumber(v, '#,##0." + "0".repeat(50) + "')");
        worst.put("if", "if(eq(v, w), v, w)");
        worst.put("present", "if(present(v), v, w)");
        worst.put("eq", "if(eq(v, w), w, v)");
        assertEquals(Expressions.Functions.NAMES, worst.keySet(), "one case per function of the language");
        List<String> values = Arrays.asList(
                null,
                "",
                "a".repeat(MAX),
                "ß".repeat(MAX),
                "😀".repeat(MAX / 2),
                "9".repeat(MAX),
                "1E+999999999",
                "-1E-999999999",
                "+999999999-12-31T23:59:59.999999999+18:00",
                "aaaaaaaaab".repeat(MAX / 10),
                " ".repeat(MAX),
                "a\u0000\uD800".repeat(MAX / 3));
        return worst.entrySet().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
                    CompiledExpression compiled = compile(entry.getValue());
                    assertTrue(compiled.cost() <= Expressions.MAX_COST, entry.getValue() + " costs " + compiled.cost());
                    for (String v : values) {
                        for (String w : values) {
                            List<String> row = Arrays.asList(v, w, null);
                            long bytes = allocatedBy(() -> {
                                try {
                                    String result = compiled.evaluate(row);
                                    assertTrue(result == null || result.length() <= MAX);
                                } catch (ExpressionLimitException e) {
                                    assertFalse(
                                            e.getMessage().contains("aaa")
                                                    || e.getMessage().contains("999"),
                                            "a reason holds no value: " + e.getMessage());
                                }
                            });
                            assertTrue(bytes < ONE_MEGABYTE, entry.getValue() + " allocated " + bytes + " bytes");
                        }
                    }
                }));
    }

    private static String nested(String open, String inner, String close, int times) {
        return open.repeat(times) + inner + close.repeat(times);
    }

    private static String randomText(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = random.nextInt(4) == 0 ? 'b' : 'a';
        }
        return new String(chars);
    }

    @Test
    void the_cost_of_the_benchmark_row_is_far_below_the_budget() throws ExpressionException {
        List<String> costs = new ArrayList<>();
        for (String expression : List.of("upper(v)", "concat(v, \" \", w)", "formatDate(v, \"dd/MM/yyyy\")")) {
            long cost = compile(expression).cost();
            costs.add(expression + " " + cost);
            assertTrue(cost <= Expressions.MAX_COST / 4, costs.toString());
        }
    }
}
