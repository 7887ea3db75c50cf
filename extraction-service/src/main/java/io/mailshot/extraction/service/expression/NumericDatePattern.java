package io.mailshot.extraction.service.expression;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A date pattern made only of numeric day, month and year fields and literal separators ({@code dd/MM/yyyy},
 * {@code yyyyMMdd}, {@code d.M.yy}…), printed without {@link java.time.format.DateTimeFormatter}: the general
 * formatter's per-call context and field queries were the largest cost of a personalised row. Prints exactly
 * what {@code DateTimeFormatter.ofPattern(pattern, Locale.ROOT)} prints for the same date; any other pattern
 * (text fields, times, quotes, optional sections) has no numeric form and keeps the formatter.
 */
final class NumericDatePattern {

    /** A field: 'd' day of month, 'M' month, 'y' year of era, 'u' year; width = letter count. */
    private record Field(char letter, int width) {
    }

    /** Literal text or {@link Field}s, in order. */
    private final Object[] parts;

    private NumericDatePattern(Object[] parts) {
        this.parts = parts;
    }

    /** The numeric form of {@code pattern}, or null when it has other fields or syntax. */
    static NumericDatePattern of(String pattern) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == 'd' || c == 'M' || c == 'y' || c == 'u') {
                int start = i;
                while (i < pattern.length() && pattern.charAt(i) == c) {
                    i++;
                }
                int width = i - start;
                // d and M: 1 (unpadded) or 2; y and u: 1 to 4 (2 = the last two digits); longer ones differ.
                if ((c == 'd' || c == 'M') && width > 2 || width > 4) {
                    return null;
                }
                parts.add(new Field(c, width));
            } else if (Character.isLetter(c) || "'[]{}#".indexOf(c) >= 0) {
                return null;
            } else {
                parts.add(String.valueOf(c));
                i++;
            }
        }
        return new NumericDatePattern(parts.toArray());
    }

    /** The date printed; years 0 to 9999 only (what the plain {@code yyyy-MM-dd} shape can hold). */
    String format(LocalDate date) {
        int year = date.getYear();
        StringBuilder b = new StringBuilder(16);
        for (Object part : parts) {
            if (part instanceof Field f) {
                int value = switch (f.letter()) {
                    case 'd' -> date.getDayOfMonth();
                    case 'M' -> date.getMonthValue();
                    // Year of era: year 0 is 1 BC.
                    case 'y' -> year >= 1 ? year : 1 - year;
                    default -> year;
                };
                if (f.width() == 2 && (f.letter() == 'y' || f.letter() == 'u')) {
                    value %= 100; // reduced two-digit year
                }
                pad(b, value, f.width());
            } else {
                b.append((String) part);
            }
        }
        return b.toString();
    }

    private static void pad(StringBuilder b, int value, int width) {
        int digits = value >= 1000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1;
        for (int i = digits; i < width; i++) {
            b.append('0');
        }
        b.append(value);
    }
}
