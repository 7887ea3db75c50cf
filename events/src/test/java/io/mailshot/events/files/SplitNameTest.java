package io.mailshot.events.files;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The split value in file names: escaped injectively into a safe name, bounded, placed like the part number. */
class SplitNameTest {

    /** Whole code points (text with a lone surrogate never arrives: every service refuses it, rule {@code text}). */
    private static final int[] ALPHABET = "aZ9-_.% é/😀".codePoints().toArray();

    @Test
    void safeCharactersAreKeptAndEveryOtherByteIsEscaped() {
        assertEquals("North-East", NameTemplate.splitName("North-East"));
        assertEquals("a_5Fb", NameTemplate.splitName("a_b"));
        assertEquals("_2E_2E_2Fetc_2Fpasswd", NameTemplate.splitName("../etc/passwd"));
        assertEquals("_25_2F_5C_3A_2A_3F_22_3C_3E_7C", NameTemplate.splitName("%/\\:*?\"<>|"));
        assertEquals("_C3_8Ele-de-France", NameTemplate.splitName("Île-de-France"));
        assertEquals("a_20b_0A", NameTemplate.splitName("a b\n"));
        assertEquals(NameTemplate.EMPTY_SPLIT, NameTemplate.splitName(""));
        assertEquals(NameTemplate.EMPTY_SPLIT, NameTemplate.splitName(null));
    }

    @Test
    void theEscapingDecodesBackToTheValue() {
        for (String value : List.of("North-East", "a_b", "../x", "Île", "_5F", "😀 mail", "-")) {
            assertEquals(value, decode(NameTemplate.splitName(value)), value);
        }
    }

    @Test
    void differentValuesNeverShareAName() {
        // Values that a lossy slug would fold together, the empty-value name itself, and escape look-alikes.
        List<String> values = new ArrayList<>(List.of(
                "a b", "a_b", "a-b", "a.b", "a%20b", "a_20b", "_empty", "empty", "", "_5F", "_", "A", "a", "Z", "_Z"));
        Random random = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder v = new StringBuilder();
            int n = random.nextInt(8);
            for (int c = 0; c < n; c++) {
                v.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            values.add(v.toString());
        }
        // Long values too: they are shortened with a hash.
        for (int i = 0; i < 2_000; i++) {
            values.add("x".repeat(70) + i);
            values.add("é".repeat(30) + i);
        }
        Map<String, String> byName = new HashMap<>();
        for (String value : values) {
            String name = NameTemplate.splitName(value);
            String earlier = byName.putIfAbsent(name, value);
            assertTrue(earlier == null || earlier.equals(value), "'" + earlier + "' and '" + value + "' -> " + name);
            assertTrue(name.matches("[A-Za-z0-9_-]{1," + NameTemplate.MAX_SPLIT_NAME + "}"), name);
        }
    }

    @Test
    void aLongValueKeepsAReadableStartAndAHash() {
        String name = NameTemplate.splitName("Région Provence-Alpes-Côte d'Azur, zone littorale et arrière-pays");
        assertTrue(name.length() <= NameTemplate.MAX_SPLIT_NAME, name);
        assertTrue(name.startsWith("R_C3_A9gion_20Provence-Alpes-C"), name);
        assertTrue(name.matches(".*_Z[0-9a-f]{16}"), name);
        assertNotEquals(
                name, NameTemplate.splitName("Région Provence-Alpes-Côte d'Azur, zone littorale et arrière-pay"));
        String exactlyMax = "m".repeat(NameTemplate.MAX_SPLIT_NAME);
        assertEquals(exactlyMax, NameTemplate.splitName(exactlyMax));
    }

    @Test
    void theValueReplacesTheTokenOrGoesBeforeTheExtension() {
        assertEquals(
                "mail-North-007.csv.gz", NameTemplate.partName("mail-{split}-{part:03}.csv", 7, true, ".gz", "North"));
        assertEquals("mail-North-part002.csv", NameTemplate.partName("mail.csv", 2, true, "", "North"));
        assertEquals("mail-North.csv", NameTemplate.partName("mail.csv", 1, false, "", "North"));
        assertEquals("mail-_empty.csv", NameTemplate.partName("mail.csv", 1, false, "", ""));
        assertEquals("mail-a_2Fb", NameTemplate.partName("mail", 1, false, "", "a/b"));
        assertEquals("mail.csv", NameTemplate.partName("mail.csv", 1, false, "", null), "not split by a field");
        assertEquals("mail", NameTemplate.stem("mail-{split}-{part:03}.csv"));
    }

    @Test
    void theTokenIsAcceptedInFileNamesOnly() {
        NameTemplate.validate("{campaign.name}-{split}-{part:03}.csv");
        String rendered = NameTemplate.render(
                "{campaign.name}-{split}.csv", "Spring", java.util.UUID.randomUUID(), null, java.time.Instant.now());
        assertEquals("spring-{split}.csv", rendered);
        assertDoesNotThrow(() -> NameTemplate.checkRunFileName(rendered, true));
        assertThrows(NameRuleException.class, () -> NameTemplate.checkRunFileName(rendered, false));
        assertThrows(NameRuleException.class, () -> NameTemplate.checkRunFileName(rendered));
        assertThrows(NameRuleException.class, () -> NameTemplate.validate("{split:03}.csv"));
        assertEquals(
                "token",
                assertThrows(NameRuleException.class, () -> NameTemplate.validateFolder("x/{split}"))
                        .rule());
        // The longest split name must fit: a template that leaves no room for it is refused when saved.
        assertThrows(NameRuleException.class, () -> NameTemplate.validate("m".repeat(150) + "{split}.csv"));
    }

    /** The inverse of the escaping, for the test only: every {@code _HH} back to its byte. */
    private static String decode(String name) {
        byte[] out = new byte[name.length()];
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                out[n++] = (byte) Integer.parseInt(name.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
