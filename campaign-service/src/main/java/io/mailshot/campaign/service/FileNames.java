package io.mailshot.campaign.service;

import io.mailshot.kit.domain.DomainException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders extraction file names from templates such as {@code {campaign.name}-{run.date:yyyyMMdd}.csv}.
 *
 * <p>Only plain names come out: no folders, no control or reserved characters, nothing that could escape
 * a routing's base folder. A template that cannot render such a name is refused when it is saved. Folder
 * templates (rendered into {@code RunSpec.folder}) follow the same tokens and the same care, per segment.
 */
public final class FileNames {

    public static final String DEFAULT_TEMPLATE = "{campaign.name}-{run.date:yyyyMMdd-HHmmss}.csv";

    private static final Pattern TOKEN = Pattern.compile("\\{([a-z.]+)(?::([^}]*))?}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Pattern DATE_PATTERN = Pattern.compile("[yMdHms_-]{1,40}");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern FOLDER_LITERAL = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final int MAX_FOLDER_LENGTH = 300;
    private static final int MAX_FOLDER_DEPTH = 10;

    private FileNames() {
    }

    /** Checks a template; throws a 422 naming {@code field} when it is not acceptable. */
    public static void validate(String field, String template) {
        Matcher m = TOKEN.matcher(template);
        int last = 0;
        while (m.find()) {
            checkLiteral(field, template.substring(last, m.start()));
            last = m.end();
        }
        checkLiteral(field, template.substring(last));
        validateTokens(field, template);
        String sample = render(template, "sample", UUID.randomUUID(), UUID.randomUUID(), Instant.now())
                .replaceAll("\\{part(:0[1-9])?}", "001");
        if (!SAFE_NAME.matcher(sample).matches() || sample.contains("..")) {
            throw DomainException.invalid(field, "safe-name",
                    "the template must render a plain file name of at most 200 characters, starting with a letter or digit");
        }
    }

    private static void validateTokens(String field, String template) {
        Matcher m = TOKEN.matcher(template);
        while (m.find()) {
            String token = m.group(1);
            String format = m.group(2);
            switch (token) {
                case "campaign.name", "campaign.id", "run.id" -> {
                    if (format != null) {
                        throw DomainException.invalid(field, "token", "{" + token + "} takes no format");
                    }
                }
                case "part" -> {
                    if (format != null && !format.matches("0[1-9]")) {
                        throw DomainException.invalid(field, "token", "{part:0N} pads the part number to N digits, e.g. {part:03}");
                    }
                }
                case "run.date" -> {
                    if (format == null || !DATE_PATTERN.matcher(format).matches()) {
                        throw DomainException.invalid(field, "token",
                                "{run.date:PATTERN} needs a pattern of y, M, d, H, m, s, '_' or '-'");
                    }
                }
                default -> throw DomainException.invalid(field, "token", "unknown token {" + token + "}");
            }
        }
    }

    private static void checkLiteral(String field, String literal) {
        if (!LITERAL.matcher(literal).matches()) {
            throw DomainException.invalid(field, "safe-name", "file names may only contain letters, digits, '.', '_', '-'"
                    + " and tokens; folders and other characters are refused");
        }
    }

    /**
     * Checks a folder template such as {@code exports/{campaign.name}/{run.date:yyyyMM}}: relative to the
     * routing's base folder, '/'-separated segments, nothing that could climb out of it or that a provider's
     * server would read differently. Throws a 422 naming {@code field} and the broken rule.
     */
    public static void validateFolder(String field, String template) {
        if (template.length() > MAX_FOLDER_LENGTH) {
            throw DomainException.invalid(field, "max-length", "a folder template has at most " + MAX_FOLDER_LENGTH
                    + " characters");
        }
        if (template.codePoints().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid(field, "no-control-characters", "a folder may not contain control characters");
        }
        if (template.indexOf('\\') >= 0) {
            throw DomainException.invalid(field, "no-backslash", "separate folders with '/', never '\\'");
        }
        if (template.startsWith("/") || template.matches("^[A-Za-z]:.*")) {
            throw DomainException.invalid(field, "relative", "the folder is relative to the routing's base folder:"
                    + " it may not start with '/' or a drive letter");
        }
        if (template.isEmpty() || template.endsWith("/") || template.contains("//")) {
            throw DomainException.invalid(field, "no-empty-segments", "every folder between '/' needs a name:"
                    + " no leading, trailing or doubled '/'");
        }
        for (String segment : template.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw DomainException.invalid(field, "no-dot-segments", "'.' and '..' could leave the routing's base"
                        + " folder and are refused");
            }
        }
        Matcher m = TOKEN.matcher(template);
        int last = 0;
        while (m.find()) {
            checkFolderLiteral(field, template.substring(last, m.start()));
            if (m.group(1).equals("part")) {
                throw DomainException.invalid(field, "token", "{part} belongs in the file name: all parts of a run share"
                        + " one folder");
            }
            last = m.end();
        }
        checkFolderLiteral(field, template.substring(last));
        // The same token rules as file names ({run.date:PATTERN} and so on).
        validateTokens(field, template);
        String sample = render(template, "sample", UUID.randomUUID(), UUID.randomUUID(), Instant.now());
        checkRenderedFolder(field, sample);
    }

    /** Checks a rendered folder: throws a 422 naming {@code field} when any segment is not a plain name. */
    public static void checkRenderedFolder(String field, String folder) {
        String[] segments = folder.split("/", -1);
        if (segments.length > MAX_FOLDER_DEPTH) {
            throw DomainException.invalid(field, "max-depth", "at most " + MAX_FOLDER_DEPTH + " nested folders");
        }
        for (String segment : segments) {
            if (!SAFE_SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                throw DomainException.invalid(field, "safe-segment", "each folder must render as a plain name of at most"
                        + " 100 characters starting with a letter or digit (letters, digits, '.', '_', '-')");
            }
        }
    }

    private static void checkFolderLiteral(String field, String literal) {
        // An allow-list: anything else (spaces, ':', '*', '?', '%', quotes…) is reserved somewhere.
        if (!FOLDER_LITERAL.matcher(literal).matches()) {
            throw DomainException.invalid(field, "safe-characters", "folders may only contain letters, digits, '.', '_',"
                    + " '-', '/' and tokens; reserved characters are refused");
        }
    }

    /** Renders the name of one run's file. */
    public static String render(String template, String campaignName, UUID campaignId, UUID runId, Instant at) {
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "campaign.name" -> slug(campaignName);
                case "campaign.id" -> campaignId.toString();
                case "run.id" -> runId.toString();
                // Filled per part by the extraction-service, which knows how many parts there are.
                case "part" -> m.group(0);
                case "run.date" -> DateTimeFormatter.ofPattern(m.group(2), Locale.ROOT).withZone(ZoneOffset.UTC)
                        .format(at);
                default -> throw new IllegalStateException("validated template has unknown token");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** True when the template already puts the run's date or time into the name. */
    public static boolean hasDate(String template) {
        return template.contains("{run.date:");
    }

    /** Adds a UTC timestamp before the extension, for configurations that ask for timestamped names. */
    public static String withTimestamp(String template) {
        int dot = template.lastIndexOf('.');
        String stamp = "-{run.date:yyyyMMddHHmmss}";
        return dot > 0 ? template.substring(0, dot) + stamp + template.substring(dot) : template + stamp;
    }

    /** A file-name-safe form of a campaign name: accents dropped, lower case, words joined by '-'. */
    static String slug(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "campaign" : slug;
    }
}
