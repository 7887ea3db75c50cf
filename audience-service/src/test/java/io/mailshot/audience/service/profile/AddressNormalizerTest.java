package io.mailshot.audience.service.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

public class AddressNormalizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String key(String street1, String street2, String postal, String city, String country) {
        var node = JSON.createObjectNode();
        node.put("street1", street1);
        if (street2 != null) {
            node.put("street2", street2);
        }
        node.put("postalCode", postal);
        node.put("city", city);
        node.put("countryCode", country);
        return AddressNormalizer.addressKey(node);
    }

    @Test
    void trickyVariantsOfOneAddressShareAKey() {
        String base = key("12 Main Street", null, "SW1A 1AA", "London", "GB");
        assertEquals("12 main street|SW1A1AA|london|GB", base);
        assertEquals(base, key("12 main st.", null, "sw1a1aa", "LONDON", "gb"));
        assertEquals(base, key("  12   Main   Str ", "", " SW1A-1AA ", " london ", " GB "));
        assertEquals(base, key("12, Main St", null, "SW1A 1AA", "London.", "GB"));
        String paris = key("3 rue de l'Église", null, "75001", "Paris", "FR");
        assertEquals(paris, key("3 R. de l'Eglise", null, "75 001", "PARIS", "FR"));
        assertEquals(paris, key("3 RUE DE L’EGLISE", null, "75001", "paris", "fr"));
        assertEquals(
                key("5 Avenue Foch", null, "75116", "Paris", "FR"), key("5 av. Foch", null, "75116", "Paris", "FR"));
        assertEquals(
                key("5 Ave Foch", null, "75116", "Paris", "FR"), key("5 avenue foch", null, "75116", "Paris", "FR"));
        assertEquals(
                key("1 Station Rd", null, "AB1 2CD", "York", "GB"),
                key("1 Station Road", null, "AB1 2CD", "York", "GB"));
        assertEquals(
                key("Hauptstraße 5", null, "10115", "Berlin", "DE"), key("Hauptstr. 5", null, "10115", "Berlin", "DE"));
        assertEquals(
                key("Crème Brûlée Blvd 9", null, "H2X", "Montréal", "CA"),
                key("creme brulee boulevard 9", null, "h2x", "MONTREAL", "CA"));
        // Lines are joined: a second line is part of the address.
        assertEquals(
                key("Flat 2", "10 High St", "X1", "Leeds", "GB"), key("flat 2", "10 high street", "X1", "Leeds", "GB"));
    }

    @Test
    void differentAddressesDiffer() {
        assertNotEquals(
                key("12 Main Street", null, "SW1A 1AA", "London", "GB"),
                key("14 Main Street", null, "SW1A 1AA", "London", "GB"));
        assertNotEquals(
                key("12 Main Street", null, "SW1A 1AA", "London", "GB"),
                key("12 Main Street", null, "SW1A 1AA", "London", "CA"));
        assertNotEquals(
                key("Flat 2", "10 High St", "X1", "Leeds", "GB"), key("Flat 3", "10 High St", "X1", "Leeds", "GB"));
    }

    @Test
    void unusableAddressesHaveNoKey() throws Exception {
        assertNull(key("", null, "75001", "Paris", "FR"));
        assertNull(key("   ", null, "75001", "Paris", "FR"));
        assertNull(key("1 rue X", null, "", "Paris", "FR"));
        assertNull(key("1 rue X", null, "75001", "\t", "FR"));
        assertNull(key("1 rue X", null, "75001", "Paris", " "));
        assertNull(key("...", null, "75001", "Paris", "FR"));
        assertNull(key("1 rue X", null, "75001", "Paris", "."));
        assertNull(key("1 rue X", null, "75001", "Paris", "--"));
        JsonNode partial = JSON.readTree("{\"street1\":\"1 rue X\",\"city\":\"Paris\",\"countryCode\":\"FR\"}");
        assertNull(AddressNormalizer.addressKey(partial));
        assertNull(AddressNormalizer.addressKey(null));
        JsonNode numeric = JSON.readTree(
                "{\"street1\":\"1 rue X\",\"postalCode\":75001,\"city\":\"Paris\"," + "\"countryCode\":\"FR\"}");
        assertEquals(key("1 rue X", null, "75001", "Paris", "FR"), AddressNormalizer.addressKey(numeric));
    }

    /** Values that are blank by the one test: nothing that is a letter or digit once folded. */
    public static final List<String> BLANK = List.of(
            "", " ", "\t", "\u00a0", "\u3000", ".", "-", "...", "—", "'", "’", "·", "*", "#/", "( )", "\u0301", "😀",
            "- . -");
    /** Values that are not: at least one letter or digit, in any script. */
    public static final List<String> NOT_BLANK = List.of("1", "A", "é", "ß", "٣", "漢", "Ⅻ", " x ", ".F.", "-9-");

    /** Every required field takes the same blank test, the country code included. */
    @Test
    void everyRequiredFieldTakesTheSameBlankTest() {
        Map<String, String> valid =
                Map.of("street1", "1 rue X", "postalCode", "75001", "city", "Paris", "countryCode", "FR");
        for (String field : AddressNormalizer.REQUIRED) {
            for (String value : BLANK) {
                ObjectNode address = JSON.createObjectNode();
                valid.forEach(address::put);
                address.put(field, value);
                assertTrue(AddressNormalizer.isBlank(value), field + " \"" + value + "\"");
                assertNull(AddressNormalizer.addressKey(address), field + " \"" + value + "\"");
            }
            for (String value : NOT_BLANK) {
                ObjectNode address = JSON.createObjectNode();
                valid.forEach(address::put);
                address.put(field, value);
                assertFalse(AddressNormalizer.isBlank(value), field + " \"" + value + "\"");
                assertNotNull(AddressNormalizer.addressKey(address), field + " \"" + value + "\"");
            }
            ObjectNode missing = JSON.createObjectNode();
            valid.forEach(missing::put);
            missing.remove(field);
            assertNull(AddressNormalizer.addressKey(missing), field + " missing");
            missing.putNull(field);
            assertNull(AddressNormalizer.addressKey(missing), field + " null");
            missing.putObject(field).put("a", "b");
            assertNull(AddressNormalizer.addressKey(missing), field + " an object");
        }
        // street1 is required on its own: text in street2 does not make up for a blank street1.
        assertNull(key("—", "Flat 2", "75001", "Paris", "FR"));
        // Optional lines may be blank.
        assertNotNull(key("1 rue X", "...", "75001", "Paris", "FR"));
    }

    /** Blank means exactly "no word": the test agrees with the words the keys are made of, on random texts. */
    @Test
    void blankMeansNoWordOnRandomTexts() {
        String alphabet = "aZ9 .,-/'’‘`´éßŒ\u0301\u00a0\t١Ⅻ½①漢😀_#℡";
        Random random = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(6);
            for (int i = 0; i < length; i++) {
                int at = random.nextInt(alphabet.length());
                if (Character.isHighSurrogate(alphabet.charAt(at)) && at + 1 < alphabet.length()) {
                    text.append(alphabet, at, at + 2);
                } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                    text.append(alphabet.charAt(at));
                }
            }
            String input = text.toString();
            assertEquals(
                    AddressNormalizer.words(input, false).isEmpty(),
                    AddressNormalizer.isBlank(input),
                    "\"" + input + "\"");
        }
    }

    @Test
    void householdsAddTheNormalisedLastName() {
        String address = key("12 Main Street", null, "SW1A 1AA", "London", "GB");
        assertEquals(
                AddressNormalizer.householdKey(address, "O'Brien"),
                AddressNormalizer.householdKey(address, "  OBRIEN "));
        assertEquals(
                AddressNormalizer.householdKey(address, "Müller"), AddressNormalizer.householdKey(address, "muller"));
        assertNotEquals(
                AddressNormalizer.householdKey(address, "Smith"), AddressNormalizer.householdKey(address, "Smyth"));
        assertNull(AddressNormalizer.householdKey(address, " "));
        assertNull(AddressNormalizer.householdKey(null, "Smith"));
    }

    /**
     * The one-pass word splitter against the regular-expression definition it replaced (drop apostrophes,
     * split on anything that is not a Unicode letter or number), on random mixes of tricky characters.
     */
    @Test
    void wordsAgreeWithTheRegularExpressionDefinition() {
        String alphabet = "aZ9 .,-/'’‘`´éÉßæŒøłđıİ\u0301\u00a0\t\n١٢Ⅻ½①漢字😀ǅ_#";
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                int at = random.nextInt(alphabet.length());
                if (Character.isHighSurrogate(alphabet.charAt(at)) && at + 1 < alphabet.length()) {
                    text.append(alphabet, at, at + 2);
                } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                    text.append(alphabet.charAt(at));
                }
            }
            String input = text.toString();
            String folded = AddressNormalizer.fold(input);
            String expected = folded.replaceAll("['’‘`´]", "")
                    .replaceAll("[^\\p{L}\\p{N}]+", " ")
                    .strip();
            assertEquals(expected, AddressNormalizer.words(input, false), "words of \"" + input + "\"");
        }
    }

    /**
     * The per-character fold of Latin text against the general definition: every character below U+0250
     * alone, then random texts mixing them with ASCII, combining marks and characters beyond Latin (which
     * take the general path for the whole text).
     */
    @Test
    void latinFoldAgreesWithTheGeneralDefinition() {
        for (char c = 0; c < 0x250; c++) {
            String one = String.valueOf(c);
            assertEquals(
                    AddressNormalizer.foldGeneral(one),
                    AddressNormalizer.fold(one),
                    "fold of U+" + Integer.toHexString(c));
        }
        Random random = new Random(7);
        String extra = "\u0301\u0327Ω漢ẞ\u00a0 'aZ";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(16);
            for (int i = 0; i < length; i++) {
                text.append(
                        random.nextInt(4) == 0
                                ? extra.charAt(random.nextInt(extra.length()))
                                : (char) random.nextInt(0x250));
            }
            String input = text.toString();
            assertEquals(
                    AddressNormalizer.foldGeneral(input), AddressNormalizer.fold(input), "fold of \"" + input + "\"");
        }
    }
}
