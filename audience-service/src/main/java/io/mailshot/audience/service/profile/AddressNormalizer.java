package io.mailshot.audience.service.profile;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns postal addresses and last names into the keys that dedup and address suppression compare. Pure
 * logic: the same rules apply to profiles at ingestion and to suppression entries.
 *
 * <p>Text rules, in order: Unicode compatibility decomposition with accents dropped (é→e, ß→ss, æ→ae, œ→oe,
 * ø→o, ł→l); lower case; apostrophes removed (O'Brien = OBrien); every other character that is not a letter
 * or digit becomes a space; runs of spaces collapse; then in address lines each word is mapped through
 * {@link #ABBREVIATIONS} (St/Str→street, Ave/Av→avenue, Rd→road, r→rue…) and a word ending in {@code str}
 * becomes {@code …strasse}. Postal codes keep letters and digits only, upper-cased; country codes are trimmed
 * and upper-cased.
 */
public final class AddressNormalizer {

    /**
     * Bumped whenever the rules change, so stored keys can be recomputed. 2: every required field takes the one
     * blank test (a punctuation-only country code, or street1 when another line has text, used to pass).
     */
    public static final int VERSION = 2;

    /** The address fields that must be non-blank for an address to be usable. */
    public static final String[] REQUIRED = {"street1", "postalCode", "city", "countryCode"};

    /** Address lines, in order; street1 is required, the others are optional. */
    public static final String[] LINES = {"street1", "street2", "street3", "street4", "street5", "street6"};

    /** Word-level abbreviations in address lines and cities, English and French. */
    static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("st", "street"),
            Map.entry("str", "street"),
            Map.entry("ave", "avenue"),
            Map.entry("av", "avenue"),
            Map.entry("avn", "avenue"),
            Map.entry("rd", "road"),
            Map.entry("blvd", "boulevard"),
            Map.entry("bd", "boulevard"),
            Map.entry("boul", "boulevard"),
            Map.entry("dr", "drive"),
            Map.entry("ln", "lane"),
            Map.entry("pl", "place"),
            Map.entry("ct", "court"),
            Map.entry("sq", "square"),
            Map.entry("hwy", "highway"),
            Map.entry("pkwy", "parkway"),
            Map.entry("apt", "apartment"),
            Map.entry("fl", "floor"),
            Map.entry("ste", "suite"),
            Map.entry("r", "rue"),
            Map.entry("rte", "route"),
            Map.entry("chem", "chemin"),
            Map.entry("imp", "impasse"),
            Map.entry("fbg", "faubourg"));

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    /** Removed without splitting the word: "l'Église" is "leglise". */
    private static final String APOSTROPHES = "'’‘`´";

    private AddressNormalizer() {}

    /**
     * The blank test of every address field, the one the usable-address rule applies: a value is blank when,
     * folded as for the keys (accents dropped, compatibility forms spelt out), it has no letter or digit (Unicode
     * categories L and N). Empty, whitespace, punctuation and symbols alone are blank; a missing, null or non-scalar
     * value is blank too.
     */
    public static boolean isBlank(JsonNode value) {
        return isBlank(text(value));
    }

    /** {@link #isBlank(JsonNode)} of a text. */
    public static boolean isBlank(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && isAlphanumeric(c)) {
                return false; // an ASCII letter or digit stays one when folded: the common case, without folding
            }
        }
        String folded = fold(text);
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            if (isAlphanumeric(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * The normalised address key, or null when the address is not usable: a required field ({@link #REQUIRED}) is
     * blank by {@link #isBlank(JsonNode)}.
     */
    public static String addressKey(JsonNode address) {
        if (address == null || !address.isObject()) {
            return null;
        }
        for (String field : REQUIRED) {
            if (isBlank(address.get(field))) {
                return null;
            }
        }
        StringBuilder lines = new StringBuilder();
        for (String field : LINES) {
            String line = words(text(address.get(field)), true);
            if (!line.isEmpty()) {
                if (lines.length() > 0) {
                    lines.append(' ');
                }
                lines.append(line);
            }
        }
        String postal = alphanumerics(fold(text(address.get("postalCode")))).toUpperCase(Locale.ROOT);
        String city = words(text(address.get("city")), true);
        String country = text(address.get("countryCode")).strip().toUpperCase(Locale.ROOT);
        return lines + "|" + postal + "|" + city + "|" + country;
    }

    /** The household key: the address key and the normalised last name; null when either is missing. */
    public static String householdKey(String addressKey, String lastName) {
        String name = words(lastName == null ? "" : lastName, false);
        if (addressKey == null || name.isEmpty()) {
            return null;
        }
        return addressKey + "|" + name;
    }

    /**
     * Case, accents, apostrophes, punctuation and spacing normalised; abbreviations expanded when asked.
     * Words are the runs of letters and digits (Unicode categories L and N) once apostrophes are dropped.
     * One pass over the characters: this runs for every ingested profile.
     */
    public static String words(String text, boolean abbreviations) {
        String folded = fold(text);
        StringBuilder b = new StringBuilder(folded.length());
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (APOSTROPHES.indexOf(cp) >= 0) {
                continue;
            }
            if (isAlphanumeric(cp)) {
                word.appendCodePoint(cp);
            } else {
                appendWord(b, word, abbreviations);
            }
        }
        appendWord(b, word, abbreviations);
        return b.toString();
    }

    private static void appendWord(StringBuilder b, StringBuilder word, boolean abbreviations) {
        if (word.length() == 0) {
            return;
        }
        String w = word.toString();
        word.setLength(0);
        if (abbreviations) {
            w = ABBREVIATIONS.getOrDefault(w, w);
            if (w.length() > 3 && w.endsWith("str")) {
                w = w + "asse"; // Hauptstr. = Hauptstraße
            }
        }
        if (b.length() > 0) {
            b.append(' ');
        }
        b.append(w);
    }

    /** Only the letters and digits of the text. */
    private static String alphanumerics(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().filter(AddressNormalizer::isAlphanumeric).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** Unicode letter (L) or number (N), as the regex classes {@code \p{L}} and {@code \p{N}}. */
    private static boolean isAlphanumeric(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * {@link #foldGeneral} of each character below U+0250 (Latin-1 and Latin Extended A and B), computed once.
     * Folding is per character in that range: lower-casing has no context there (no final sigma), NFKD is a
     * per-character decomposition, and no character there is a combining mark that canonical ordering
     * could move. So a text of such characters folds to the concatenation of its characters' folds.
     */
    private static final String[] LATIN_FOLD = new String[0x250];

    static {
        for (char c = 0x80; c < LATIN_FOLD.length; c++) {
            LATIN_FOLD[c] = foldGeneral(String.valueOf(c));
        }
    }

    /** Lower case without accents. */
    static String fold(String text) {
        if (isAscii(text)) {
            return text.toLowerCase(Locale.ROOT); // nothing to decompose, no marks: the common case, kept cheap
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= LATIN_FOLD.length) {
                return foldGeneral(text); // beyond Latin: the general rules for the whole text
            }
            if (c < 0x80) {
                b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            } else {
                b.append(LATIN_FOLD[c]);
            }
        }
        return b.toString();
    }

    /** The definition of folding: lower case, a few letters spelled out, compatibility decomposition, marks dropped. */
    static String foldGeneral(String text) {
        String lower = text.toLowerCase(Locale.ROOT)
                .replace("ß", "ss")
                .replace("æ", "ae")
                .replace("œ", "oe")
                .replace("ø", "o")
                .replace("ł", "l")
                .replace("đ", "d")
                .replace("ı", "i");
        return MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFKD)).replaceAll("");
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? "" : node.asText();
    }
}
