package io.mailshot.audience.service;

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

    /** Bumped whenever the rules change, so stored keys can be recomputed. */
    public static final int VERSION = 1;

    /** The address fields that must be non-blank for an address to be usable. */
    public static final String[] REQUIRED = {"street1", "postalCode", "city", "countryCode"};

    /** Address lines, in order; street1 is required, the others are optional. */
    public static final String[] LINES = {"street1", "street2", "street3", "street4", "street5", "street6"};

    /** Word-level abbreviations in address lines and cities, English and French. */
    static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("st", "street"), Map.entry("str", "street"),
            Map.entry("ave", "avenue"), Map.entry("av", "avenue"), Map.entry("avn", "avenue"),
            Map.entry("rd", "road"), Map.entry("blvd", "boulevard"), Map.entry("bd", "boulevard"),
            Map.entry("boul", "boulevard"), Map.entry("dr", "drive"), Map.entry("ln", "lane"),
            Map.entry("pl", "place"), Map.entry("ct", "court"), Map.entry("sq", "square"),
            Map.entry("hwy", "highway"), Map.entry("pkwy", "parkway"), Map.entry("apt", "apartment"),
            Map.entry("fl", "floor"), Map.entry("ste", "suite"),
            Map.entry("r", "rue"), Map.entry("rte", "route"), Map.entry("chem", "chemin"),
            Map.entry("imp", "impasse"), Map.entry("fbg", "faubourg"));

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APOSTROPHES = Pattern.compile("['’‘`´]");
    private static final Pattern NON_ALNUM = Pattern.compile("[^\\p{L}\\p{N}]+");

    private AddressNormalizer() {
    }

    /** The normalised address key, or null when a required field is missing or blank. */
    public static String addressKey(JsonNode address) {
        if (address == null || !address.isObject()) {
            return null;
        }
        for (String field : REQUIRED) {
            if (text(address.get(field)).isBlank()) {
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
        String postal = NON_ALNUM.matcher(fold(text(address.get("postalCode")))).replaceAll("")
                .toUpperCase(Locale.ROOT);
        String city = words(text(address.get("city")), true);
        String country = text(address.get("countryCode")).strip().toUpperCase(Locale.ROOT);
        if (lines.isEmpty() || postal.isEmpty() || city.isEmpty()) {
            return null; // only punctuation: as good as blank
        }
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

    /** Case, accents, apostrophes, punctuation and spacing normalised; abbreviations expanded when asked. */
    public static String words(String text, boolean abbreviations) {
        String folded = NON_ALNUM.matcher(APOSTROPHES.matcher(fold(text)).replaceAll("")).replaceAll(" ").strip();
        if (folded.isEmpty()) {
            return "";
        }
        String[] tokens = folded.split(" ");
        StringBuilder b = new StringBuilder();
        for (String token : tokens) {
            String word = token;
            if (abbreviations) {
                word = ABBREVIATIONS.getOrDefault(word, word);
                if (word.length() > 3 && word.endsWith("str")) {
                    word = word + "asse"; // Hauptstr. = Hauptstraße
                }
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(word);
        }
        return b.toString();
    }

    /** Lower case without accents. */
    static String fold(String text) {
        String lower = text.toLowerCase(Locale.ROOT)
                .replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o").replace("ł", "l")
                .replace("đ", "d").replace("ı", "i");
        return MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFKD)).replaceAll("");
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? "" : node.asText();
    }
}
