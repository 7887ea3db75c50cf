package io.mailshot.extraction.service.file;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;

/**
 * Makes text encodable in a target charset: tells whether it already is, and transliterates what is not
 * (a table for letters without a decomposition, then NFD with the combining marks stripped, then '?').
 */
public final class CharsetFitter {

    /** Letters NFD cannot reduce to ASCII, and common typographic characters. */
    private static final Map<Integer, String> TABLE = Map.ofEntries(
            Map.entry((int) 'ł', "l"),
            Map.entry((int) 'Ł', "L"),
            Map.entry((int) 'ø', "o"),
            Map.entry((int) 'Ø', "O"),
            Map.entry((int) 'ß', "ss"),
            Map.entry((int) 'ẞ', "SS"),
            Map.entry((int) 'æ', "ae"),
            Map.entry((int) 'Æ', "AE"),
            Map.entry((int) 'œ', "oe"),
            Map.entry((int) 'Œ', "OE"),
            Map.entry((int) 'đ', "d"),
            Map.entry((int) 'Đ', "D"),
            Map.entry((int) 'ð', "d"),
            Map.entry((int) 'Ð', "D"),
            Map.entry((int) 'þ', "th"),
            Map.entry((int) 'Þ', "Th"),
            Map.entry((int) 'ı', "i"),
            Map.entry((int) 'ħ', "h"),
            Map.entry((int) 'Ħ', "H"),
            Map.entry((int) 'ŧ', "t"),
            Map.entry((int) 'Ŧ', "T"),
            Map.entry((int) 'ŀ', "l"),
            Map.entry((int) 'Ŀ', "L"),
            Map.entry((int) 'ŋ', "n"),
            Map.entry((int) 'Ŋ', "N"),
            Map.entry((int) 'ĸ', "q"),
            Map.entry((int) 'ſ', "s"),
            Map.entry((int) 'ĳ', "ij"),
            Map.entry((int) 'Ĳ', "IJ"),
            Map.entry((int) '\u2018', "'"),
            Map.entry((int) '\u2019', "'"),
            Map.entry((int) '\u201A', "'"),
            Map.entry((int) '\u201C', "\""),
            Map.entry((int) '\u201D', "\""),
            Map.entry((int) '\u201E', "\""),
            Map.entry((int) '\u2013', "-"),
            Map.entry((int) '\u2014', "-"),
            Map.entry((int) '\u2026', "..."),
            Map.entry((int) '\u20AC', "EUR"),
            Map.entry((int) '\u00A0', " "),
            Map.entry((int) '\u2022', "*"),
            Map.entry((int) '\u2122', "TM"));

    private final boolean everything;
    private final boolean[] encodable;

    private CharsetFitter(Charset charset) {
        this.everything = charset.equals(StandardCharsets.UTF_8);
        this.encodable = new boolean[65536];
        if (!everything) {
            // One table per run: canEncode per character is too slow for millions of rows.
            CharsetEncoder encoder = charset.newEncoder();
            for (int c = 0; c < 65536; c++) {
                encodable[c] = !Character.isSurrogate((char) c) && encoder.canEncode((char) c);
            }
        }
    }

    public static CharsetFitter of(Charset charset) {
        return new CharsetFitter(charset);
    }

    /** Whether every character is encodable (UTF-8). */
    public boolean canEncodeEverything() {
        return everything;
    }

    /** Whether every character of {@code s} is encodable. */
    public boolean canEncode(String s) {
        if (everything || s == null) {
            return true;
        }
        int length = s.length();
        for (int i = 0; i < length; i++) {
            if (!encodable[s.charAt(i)]) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} with every unencodable character replaced by its closest encodable spelling, or '?'. */
    public String transliterate(String s) {
        if (canEncode(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 65536 && encodable[cp]) {
                b.append((char) cp);
                continue;
            }
            String mapped = TABLE.get(cp);
            if (mapped != null && canEncode(mapped)) {
                b.append(mapped);
                continue;
            }
            String stripped = stripMarks(cp);
            if (!stripped.isEmpty() && canEncode(stripped)) {
                b.append(stripped);
            } else if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                // A combining mark left over from decomposed input: dropping it keeps the base letter.
                continue;
            } else {
                b.append('?');
            }
        }
        return b.toString();
    }

    private static String stripMarks(int cp) {
        String decomposed = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
