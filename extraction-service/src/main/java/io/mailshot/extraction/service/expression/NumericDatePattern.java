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

    /** Per position: the field letter ('d' day, 'M' month, 'y' year of era, 'u' year), or 0 for a literal. */
    private final char[] letters;
    /** Per position: the field's width (its letter count), or the literal character. */
    private final int[] widths;
    /** Longest output: literals plus four digits per field. */
    private final int maxLength;

    private NumericDatePattern(char[] letters, int[] widths) {
        this.letters = letters;
        this.widths = widths;
        int max = 0;
        for (char letter : letters) {
            max += letter == 0 ? 1 : 4;
        }
        this.maxLength = max;
    }

    /** The numeric form of {@code pattern}, or null when it has other fields or syntax. */
    static NumericDatePattern of(String pattern) {
        StringBuilder letters = new StringBuilder();
        List<Integer> widths = new ArrayList<>();
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
                letters.append(c);
                widths.add(width);
            } else if (Character.isLetter(c) || "'[]{}#".indexOf(c) >= 0) {
                return null;
            } else {
                letters.append((char) 0);
                widths.add((int) c);
                i++;
            }
        }
        return new NumericDatePattern(
                letters.toString().toCharArray(),
                widths.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The date printed; years 0 to 9999 only (what the plain {@code yyyy-MM-dd} shape can hold). */
    String format(LocalDate date) {
        int year = date.getYear();
        char[] out = new char[maxLength];
        int n = 0;
        for (int i = 0; i < letters.length; i++) {
            char letter = letters[i];
            int width = widths[i];
            if (letter == 0) {
                out[n++] = (char) width;
                continue;
            }
            int value = switch (letter) {
                case 'd' -> date.getDayOfMonth();
                case 'M' -> date.getMonthValue();
                // Year of era: year 0 is 1 BC.
                case 'y' -> year >= 1 ? year : 1 - year;
                default -> year;
            };
            if (width == 2 && (letter == 'y' || letter == 'u')) {
                value %= 100; // reduced two-digit year
            }
            int digits = value >= 1000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1;
            int length = Math.max(digits, width);
            for (int k = n + length - 1; k >= n; k--) {
                out[k] = (char) ('0' + value % 10);
                value /= 10;
            }
            n += length;
        }
        return new String(out, 0, n);
    }
}
