package io.mailshot.extraction.service.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Numeric date patterns print what {@link DateTimeFormatter} prints, on every day of many years. */
class NumericDatePatternTest {

    private static final List<String> PATTERNS = List.of(
            "dd/MM/yyyy",
            "yyyy-MM-dd",
            "yyyyMMdd",
            "d.M.yy",
            "MM/dd/uuuu",
            "d/M/y",
            "yyy",
            "u-M-d",
            "uu",
            "dd MM yyyy",
            "yyyy/MM",
            "dd-MM-yyyy (*)");

    @Test
    void prints_what_the_jdk_formatter_prints() {
        Random random = new Random(11);
        for (String pattern : PATTERNS) {
            NumericDatePattern numeric = NumericDatePattern.of(pattern);
            assertNotNull(numeric, pattern);
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            for (int year : new int[] {0, 1, 4, 9, 10, 99, 100, 999, 1000, 1900, 1987, 2000, 2024, 2100, 9999}) {
                for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
                    assertEquals(formatter.format(d), numeric.format(d), pattern + " " + d);
                }
            }
            for (int i = 0; i < 20_000; i++) {
                LocalDate d = LocalDate.ofEpochDay(LocalDate.of(0, 1, 1).toEpochDay() + random.nextInt(3_652_059));
                assertEquals(formatter.format(d), numeric.format(d), pattern + " " + d);
            }
        }
    }

    @Test
    void other_patterns_keep_the_formatter() {
        for (String pattern : List.of(
                "dd MMM yyyy",
                "yyyy-MM-dd HH:mm",
                "'le' dd/MM",
                "yyyyy",
                "ddd",
                "[yyyy]",
                "EEEE d",
                "dd/MM/yyyy G",
                "d é M")) {
            assertNull(NumericDatePattern.of(pattern), pattern);
        }
    }

    @Test
    void format_date_gives_the_same_text_through_either_path() throws ExpressionException {
        ExpressionContext context =
                new ExpressionContext(List.of("d"), Map.of(), "c", "c-1", "r-1", LocalDate.of(2026, 3, 1), null, null);
        for (String value : List.of(
                "0000-01-01",
                "0001-12-31",
                "1980-02-29",
                " 1999-12-31 ",
                "9999-12-31",
                "1900-02-29",
                "2026-03-01T14:05:09",
                "+10000-01-01")) {
            for (String pattern : PATTERNS) {
                String expected;
                try {
                    String v = value.strip();
                    LocalDate date = v.length() == 10
                            ? LocalDate.parse(v)
                            : v.startsWith("+")
                                    ? LocalDate.parse(v)
                                    : LocalDateTime.parse(v).toLocalDate();
                    expected = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(date);
                } catch (DateTimeException e) {
                    expected = null;
                }
                String actual = Expressions.compile("formatDate(d, '" + pattern + "')", context)
                        .evaluate(List.of(value));
                assertEquals(expected, actual, pattern + " of " + value);
            }
        }
    }
}
