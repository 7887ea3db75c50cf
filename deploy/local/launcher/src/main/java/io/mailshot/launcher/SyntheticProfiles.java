package io.mailshot.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Realistic synthetic profiles, the same for the same seed: accents and apostrophes, 2–4 address lines,
 * postal codes with leading zeros, about 5% without postal consent, nested attributes.
 */
public final class SyntheticProfiles {

    private static final String[] FIRST = {
        "Zoë",
        "José",
        "Łukasz",
        "Anaïs",
        "Seán",
        "Jürgen",
        "Margaux",
        "Chloé",
        "Ömer",
        "Siobhán",
        "Mary-Kate",
        "Émile",
        "Renée",
        "Björn",
        "Inés",
        "Noël",
        "François",
        "Agnès",
        "Paul",
        "Ana"
    };
    private static final String[] LAST = {
        "O'Brien",
        "Müller",
        "Dubois",
        "García",
        "Kowalski",
        "D'Angelo",
        "Nørgaard",
        "Le Gall",
        "Ó Súilleabháin",
        "Lefèvre",
        "van der Berg",
        "Smith",
        "Moreau",
        "Żak",
        "N'Diaye",
        "Côté"
    };
    private static final String[] TITLES = {"Mr", "Ms", "Mrs", "Dr", "Mx"};
    private static final String[] STREETS = {
        "rue de l'Église",
        "Hauptstraße",
        "Calle Mayor",
        "Baker Street",
        "chemin des Prés",
        "Øster Allé",
        "avenue Jean-Jaurès",
        "ul. Świętokrzyska"
    };
    private static final String[] CITIES = {
        "Lyon", "München", "Sevilla", "London", "Saint-Étienne", "Kraków", "Aarhus", "Besançon"
    };
    private static final String[] COUNTRIES = {"FR", "DE", "ES", "GB", "FR", "PL", "DK", "FR"};
    private static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};

    /** One generated profile with the values an extraction file row is checked against. */
    public record Profile(
            String crmId,
            String firstName,
            String lastName,
            String title,
            List<String> lines,
            String postalCode,
            String city,
            String countryCode,
            String consent,
            String tier,
            int points,
            String birthDate,
            String batch) {

        public boolean postalConsent() {
            return !"n".equals(consent);
        }

        /** What the audience-service streams: postal consent and a usable address. */
        public boolean eligible() {
            return postalConsent() && usableAddress();
        }

        /** Street, postal code, city and country are all there. */
        public boolean usableAddress() {
            return postalCode != null && !lines.isEmpty() && city != null && countryCode != null;
        }
    }

    private SyntheticProfiles() {}

    /** The i-th profile of the seed (i from 0): independent of how many are generated. */
    public static Profile profile(long seed, int i, String batch) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        int lineCount = 2 + r.nextInt(3);
        List<String> lines = new ArrayList<>();
        lines.add((1 + r.nextInt(200)) + " " + STREETS[r.nextInt(STREETS.length)]);
        if (lineCount > 2) {
            lines.add("Bât. " + (char) ('A' + r.nextInt(6)) + ", apt " + (1 + r.nextInt(90)));
        }
        if (lineCount > 3) {
            lines.add("c/o " + FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)]);
        }
        int place = r.nextInt(CITIES.length);
        lines.add(CITIES[place]);
        // About 3% have no usable address: the postal code is missing.
        boolean noAddress = r.nextDouble() < 0.03;
        double consentDraw = r.nextDouble();
        String consent = consentDraw < 0.05 ? "n" : consentDraw < 0.5 ? "y" : "";
        return new Profile(
                String.format("%s%08d", batch.toUpperCase(), i),
                FIRST[r.nextInt(FIRST.length)],
                LAST[r.nextInt(LAST.length)],
                TITLES[r.nextInt(TITLES.length)],
                lines,
                noAddress ? null : String.format("%05d", r.nextInt(100_000)),
                CITIES[place],
                COUNTRIES[place],
                consent,
                TIERS[r.nextInt(TIERS.length)],
                r.nextInt(5000),
                String.format("%04d-%02d-%02d", 1940 + r.nextInt(65), 1 + r.nextInt(12), 1 + r.nextInt(28)),
                batch);
    }

    /** The profile as the audience-service ingests it (one NDJSON line). */
    public static String toJson(Profile p) {
        Map<String, Object> address = new LinkedHashMap<>();
        for (int i = 0; i < p.lines().size(); i++) {
            address.put("street" + (i + 1), p.lines().get(i));
        }
        if (p.postalCode() != null) {
            address.put("postalCode", p.postalCode());
        }
        address.put("city", p.city());
        address.put("countryCode", p.countryCode());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("identity", Map.of("namespace", "crmId", "id", p.crmId()));
        profile.put("identities", Map.of("email", p.crmId().toLowerCase() + "@example.org"));
        profile.put(
                "person",
                Map.of("name", Map.of("firstName", p.firstName(), "lastName", p.lastName(), "title", p.title())));
        profile.put("homeAddress", address);
        profile.put("consents", Map.of("marketing", Map.of("postalMail", Map.of("val", p.consent()))));
        profile.put(
                "attributes",
                Map.of(
                        "batch",
                        p.batch(),
                        "birthDate",
                        p.birthDate(),
                        "loyalty",
                        Map.of("tier", p.tier(), "points", p.points())));
        try {
            return MailshotApi.json().writeValueAsString(profile);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code count} profiles as NDJSON, streaming, and hands each to {@code each}. */
    public static void writeNdjson(Path file, long seed, int count, String batch, Consumer<Profile> each) {
        writeNdjson(List.of(file), seed, count, count, batch, each);
    }

    /**
     * The same profiles split into files of at most {@code perFile} lines, as a client loads a large export
     * in several requests: {@code dir/name-000.ndjson}, {@code -001}… Returns the files in order.
     */
    public static List<Path> writeNdjsonParts(
            Path dir, String name, long seed, int count, int perFile, String batch, Consumer<Profile> each) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i * (long) perFile < Math.max(count, 1); i++) {
            files.add(dir.resolve(String.format("%s-%03d.ndjson", name, i)));
        }
        writeNdjson(files, seed, count, perFile, batch, each);
        return files;
    }

    private static void writeNdjson(
            List<Path> files, long seed, int count, int perFile, String batch, Consumer<Profile> each) {
        int i = 0;
        for (Path file : files) {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int inFile = 0; inFile < perFile && i < count; inFile++, i++) {
                    Profile p = profile(seed, i, batch);
                    out.write(toJson(p));
                    out.write('\n');
                    each.accept(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
