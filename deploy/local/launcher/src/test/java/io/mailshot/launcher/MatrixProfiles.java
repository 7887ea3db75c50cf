package io.mailshot.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailshot.launcher.FormatMatrix.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profiles of {@link FormatMatrixIT}: values that stress every format and encoding (accents, the euro sign,
 * letters and symbols Latin-1 or Windows-1252 lack, emoji, combining marks, quotes, every delimiter, tabs, formula
 * starts, line breaks), each with the text the file must hold for it in each encoding. The expectations are
 * written out by hand from the extraction-service's documented rules (README, "Formats"): a value starting with
 * {@code = + - @} gets a leading {@code '}; a character the encoding lacks is transliterated (a table for ł ø ß æ œ
 * đ ı þ ħ, typographic quotes, dashes, ellipsis, €, ™…, then the letter without its accents, else {@code ?}).
 */
final class MatrixProfiles {

    /** A value as ingested, and as each encoding's file must hold it. */
    record Value(String input, String utf8, String latin1, String cp1252) {

        String expected(Encoding encoding) {
            return switch (encoding) {
                case UTF_8, UTF_8_BOM -> utf8;
                case ISO_8859_1 -> latin1;
                case WINDOWS_1252 -> cp1252;
            };
        }
    }

    /** One profile: its id and its values by column path (null = missing). */
    record Profile(String id, Map<String, Value> values) {}

    private static Value same(String s) {
        return new Value(s, s, s, s);
    }

    /** Representable in UTF-8 only as it is: {@code latin1} and {@code cp1252} are the transliterations. */
    private static Value fit(String s, String latin1, String cp1252) {
        return new Value(s, s, latin1, cp1252);
    }

    /** Changed the same way in every encoding (formula neutralisation). */
    private static Value neutralised(String s, String expected) {
        return new Value(s, expected, expected, expected);
    }

    static final List<Value> FIRST_NAMES = List.of(
            same("Zoë"),
            fit("Łukasz", "Lukasz", "Lukasz"),
            same("José"),
            fit("İlkay", "Ilkay", "Ilkay"),
            fit("Œdipe", "OEdipe", "Œdipe"),
            same("Siobhán"),
            same("Renée"),
            same("François"),
            fit("Đorđe", "Dorde", "Dorde"),
            same("Jürgen"),
            same("Ærin"));

    static final List<Value> LAST_NAMES = List.of(
            same("O'Brien"),
            same("Müller"),
            fit("Żak", "Zak", "Zak"),
            same("Nørgaard"),
            fit("Dvořák", "Dvorák", "Dvorák"),
            fit("Šťastný", "Stastný", "Štastný"),
            same("Strauß"),
            same("\"The Rock\" Johnson"),
            same("Smith, Jr."),
            same("Le Gall; Moreau"),
            same("Pipe|Line"),
            same("Tab\tName"),
            same("Ó Súilleabháin"));

    static final List<Value> STREETS = List.of(
            same("12 rue de l'Église"),
            same("Hauptstraße 5"),
            fit("ul. Świętokrzyska 3", "ul. Swietokrzyska 3", "ul. Swietokrzyska 3"),
            same("Øster Allé 9"),
            fit("1 “Quoted” Lane", "1 \"Quoted\" Lane", "1 “Quoted” Lane"),
            same("10 Downing St, Flat 2"),
            fit("Triq Ħamrun 4", "Triq Hamrun 4", "Triq Hamrun 4"),
            fit("İstiklal Cd. 7", "Istiklal Cd. 7", "Istiklal Cd. 7"),
            fit("北京路 88号", "??? 88?", "??? 88?"),
            fit("221B Baker St 🏠", "221B Baker St ?", "221B Baker St ?"),
            same("Calle Mayor; 3º izq."));

    static final List<Value> SECOND_LINES = Arrays.asList(
            null,
            same("Bât. A; apt 3"),
            same("c/o Zoë | reception"),
            fit("Gebäude – Süd", "Gebäude - Süd", "Gebäude – Süd"),
            neutralised("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            same("Tür \"B\""));

    static final List<Value> POSTAL_CODES =
            List.of(same("01000"), same("75008"), same("00501"), same("80-001"), same("D02 X285"), same("SW1A 2AA"));

    /** City and country code together, so an address stays plausible. */
    static final List<Value[]> PLACES = List.of(
            new Value[] {same("Saint-Étienne"), same("FR")},
            new Value[] {same("München"), same("DE")},
            new Value[] {same("Kraków"), same("PL")},
            new Value[] {fit("Łódź", "Lódz", "Lódz"), same("PL")},
            new Value[] {same("Besançon"), same("FR")},
            new Value[] {same("Zürich"), same("CH")},
            new Value[] {same("Ærøskøbing"), same("DK")},
            new Value[] {same("Reykjavík"), same("IS")},
            new Value[] {fit("İzmir", "Izmir", "Izmir"), same("TR")},
            new Value[] {fit("Žilina", "Zilina", "Žilina"), same("SK")});

    static final List<Value> NOTES = Arrays.asList(
            fit("Price 10€", "Price 10EUR", "Price 10€"),
            fit("“Le Chat” – café…", "\"Le Chat\" - café...", "“Le Chat” – café…"),
            same("He said \"hi\", then; left|"),
            fit("Party 🎉", "Party ?", "Party ?"),
            // Decomposed accents: the combining marks are dropped where the encoding lacks them.
            fit("e\u0301te\u0301", "ete", "ete"),
            fit("Œuvre & Cie ™", "OEuvre & Cie TM", "Œuvre & Cie ™"),
            neutralised("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
            neutralised("@home", "'@home"),
            fit("naïve ‘quote’", "naïve 'quote'", "naïve ‘quote’"),
            fit("中文", "??", "??"),
            same("  spaced  "),
            same("Tab\tinside"),
            neutralised("-5 points", "'-5 points"),
            null,
            new Value("=1+2 ł", "'=1+2 ł", "'=1+2 l", "'=1+2 l"));

    /** Values with line breaks: only the delimited formats can hold them (quoted). */
    static final List<Value> MESSAGES = Arrays.asList(
            same("line one\nline two"),
            same("first\r\nsecond, with comma"),
            same("a \"quoted\"\nnext;line|x"),
            fit("ĳssel\nØ", "ijssel\nØ", "ijssel\nØ"),
            null,
            same("trailing newline\n"),
            same("\""));

    static final int COUNT = 24;
    static final String BATCH = "format-matrix";

    private MatrixProfiles() {}

    /** Every profile: each pool is walked with its own stride, so values meet in many combinations. */
    static List<Profile> all() {
        List<Profile> profiles = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Map<String, Value> values = new LinkedHashMap<>();
            values.put("identity.id", same(String.format("MX%03d", i + 1)));
            values.put("person.name.firstName", pick(FIRST_NAMES, i, 1, 0));
            values.put("person.name.lastName", pick(LAST_NAMES, i, 5, 1));
            values.put("homeAddress.street1", pick(STREETS, i, 7, 2));
            values.put("homeAddress.street2", pick(SECOND_LINES, i, 1, 0));
            values.put("homeAddress.postalCode", pick(POSTAL_CODES, i, 5, 3));
            Value[] place = PLACES.get((i * 3 + 1) % PLACES.size());
            values.put("homeAddress.city", place[0]);
            values.put("homeAddress.countryCode", place[1]);
            values.put("attributes.note", pick(NOTES, i, 1, 0));
            values.put("attributes.message", pick(MESSAGES, i, 3, 0));
            profiles.add(new Profile(values.get("identity.id").input(), values));
        }
        return profiles;
    }

    private static <T> T pick(List<T> pool, int i, int stride, int offset) {
        return pool.get((i * stride + offset) % pool.size());
    }

    /** The profile as the audience-service ingests it: one NDJSON line, postal consent given. */
    static String toJson(Profile p) {
        Map<String, Object> root = new LinkedHashMap<>();
        p.values().forEach((path, value) -> {
            if (value != null) {
                put(root, path, value.input());
            }
        });
        put(root, "identity.namespace", "crmId");
        put(root, "consents.marketing.postalMail.val", "y");
        put(root, "attributes.batch", BATCH);
        try {
            return MailshotApi.json().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String path, String value) {
        String[] parts = path.split("\\.");
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], value);
    }
}
