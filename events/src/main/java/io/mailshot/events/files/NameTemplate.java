package io.mailshot.events.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File-name and folder templates such as {@code {campaign.name}-{run.date:yyyyMMdd}-{part:03}.csv}, from the template
 * a marketer saves to the name a provider receives:
 *
 * <ol>
 *   <li>the campaign-service checks templates when they are saved ({@link #validate}, {@link #validateFolder}) and
 *       renders every token but {@code {part}} into the run's {@code RunSpec} ({@link #render});
 *   <li>the extraction-service fills {@code {part}} per part and {@code {split}} per file set ({@link #partName},
 *       the value escaped by {@link #splitName}) and names the manifests after the {@link #stem};
 *   <li>the delivery-service, for routings that ask for it, puts the delivery's UTC time before the extensions
 *       ({@link #stamped}), in the files and in the manifest that lists them.
 * </ol>
 *
 * Only plain names come out (see {@link PathRules}): a template that cannot render one is refused when it is saved.
 * Refusals are {@link NameRuleException}s naming the rule.
 */
public final class NameTemplate {

    public static final String DEFAULT_TEMPLATE = "{campaign.name}-{run.date:yyyyMMdd-HHmmss}.csv";

    private static final Pattern TOKEN = Pattern.compile("\\{([a-z.]+)(?::([^}]*))?}");
    private static final Pattern PART_TOKEN = Pattern.compile("\\{part(?::(\\d{1,2}))?}");
    private static final String SPLIT_TOKEN = "{split}";
    /**
     * Longest {@link #splitName}: an escaped value longer than this is shortened to its first
     * {@value #SPLIT_KEPT} characters and a hash of the whole value.
     */
    public static final int MAX_SPLIT_NAME = 60;

    private static final int SPLIT_KEPT = 40;
    /** The name of the empty (or missing) split value; no escaped value can look like it. */
    public static final String EMPTY_SPLIT = "_empty";

    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Pattern DATE_PATTERN = Pattern.compile("[yMdHms_-]{1,40}");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern FOLDER_LITERAL = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final int MAX_FOLDER_LENGTH = 300;
    private static final int MAX_FOLDER_DEPTH = 10;
    /** The longest suffix a part or manifest name gets after rendering: part number, compression, manifest. */
    private static final String LONGEST_SUFFIX = "-part999.manifest.json.gz";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Extensions that wrap the content type: compression and encryption. */
    private static final List<String> WRAPPERS = List.of(".gz", ".zip", ".bz2", ".xz", ".zst", ".pgp", ".gpg", ".asc");

    private static final Pattern EXTENSION = Pattern.compile("^\\.[A-Za-z0-9]{1,8}$");
    private static final String MANIFEST = ".manifest";

    private NameTemplate() {}

    /** Checks a file-name template as it is saved. */
    public static void validate(String template) {
        Matcher m = TOKEN.matcher(template);
        int last = 0;
        while (m.find()) {
            checkLiteral(template.substring(last, m.start()));
            last = m.end();
        }
        checkLiteral(template.substring(last));
        validateTokens(template);
        String sample = render(template, "sample", UUID.randomUUID(), UUID.randomUUID(), Instant.now())
                .replaceAll("\\{part(:0[1-9])?}", "001")
                // The longest name a split value can take, so that every value fits.
                .replace(SPLIT_TOKEN, "s".repeat(MAX_SPLIT_NAME));
        if (!SAFE_NAME.matcher(sample).matches() || sample.contains("..")) {
            throw new NameRuleException(
                    "safe-name",
                    "the template must render a plain file name of at most 200"
                            + " characters, starting with a letter or digit");
        }
        // What the extraction- and delivery-service will check at run time, with the longest suffix they add.
        PathRules.checkFileName(sample + LONGEST_SUFFIX);
    }

    private static void validateTokens(String template) {
        Matcher m = TOKEN.matcher(template);
        while (m.find()) {
            String token = m.group(1);
            String format = m.group(2);
            switch (token) {
                case "campaign.name", "campaign.id", "run.id", "split" -> {
                    if (format != null) {
                        throw new NameRuleException("token", "{" + token + "} takes no format");
                    }
                }
                case "part" -> {
                    if (format != null && !format.matches("0[1-9]")) {
                        throw new NameRuleException(
                                "token", "{part:0N} pads the part number to N digits, e.g." + " {part:03}");
                    }
                }
                case "run.date" -> {
                    if (format == null || !DATE_PATTERN.matcher(format).matches()) {
                        throw new NameRuleException(
                                "token", "{run.date:PATTERN} needs a pattern of y, M, d, H, m, s, '_' or '-'");
                    }
                }
                default -> throw new NameRuleException("token", "unknown token {" + token + "}");
            }
        }
    }

    private static void checkLiteral(String literal) {
        if (!LITERAL.matcher(literal).matches()) {
            throw new NameRuleException(
                    "safe-name",
                    "file names may only contain letters, digits, '.', '_', '-'"
                            + " and tokens; folders and other characters are refused");
        }
    }

    /**
     * Checks a folder template such as {@code exports/{campaign.name}/{run.date:yyyyMM}}: relative to the
     * routing's base folder, '/'-separated segments, nothing that could climb out of it or that a provider's
     * server would read differently.
     */
    public static void validateFolder(String template) {
        if (template.length() > MAX_FOLDER_LENGTH) {
            throw new NameRuleException(
                    "max-length", "a folder template has at most " + MAX_FOLDER_LENGTH + " characters");
        }
        if (template.codePoints().anyMatch(Character::isISOControl)) {
            throw new NameRuleException("no-control-characters", "a folder may not contain control characters");
        }
        if (template.indexOf('\\') >= 0) {
            throw new NameRuleException("no-backslash", "separate folders with '/', never '\\'");
        }
        if (template.startsWith("/") || template.matches("^[A-Za-z]:.*")) {
            throw new NameRuleException(
                    "relative",
                    "the folder is relative to the routing's base folder:"
                            + " it may not start with '/' or a drive letter");
        }
        if (template.isEmpty() || template.endsWith("/") || template.contains("//")) {
            throw new NameRuleException(
                    "no-empty-segments",
                    "every folder between '/' needs a name:" + " no leading, trailing or doubled '/'");
        }
        for (String segment : template.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new NameRuleException(
                        "no-dot-segments", "'.' and '..' could leave the routing's base" + " folder and are refused");
            }
        }
        Matcher m = TOKEN.matcher(template);
        int last = 0;
        while (m.find()) {
            checkFolderLiteral(template.substring(last, m.start()));
            if (m.group(1).equals("part") || m.group(1).equals("split")) {
                throw new NameRuleException(
                        "token",
                        "{" + m.group(1) + "} belongs in the file name: all files of a run share" + " one folder");
            }
            last = m.end();
        }
        checkFolderLiteral(template.substring(last));
        // The same token rules as file names ({run.date:PATTERN} and so on).
        validateTokens(template);
        checkRenderedFolder(render(template, "sample", UUID.randomUUID(), UUID.randomUUID(), Instant.now()));
    }

    /** Checks a rendered folder: every segment a plain name, and what the other services check at run time. */
    public static void checkRenderedFolder(String folder) {
        String[] segments = folder.split("/", -1);
        if (segments.length > MAX_FOLDER_DEPTH) {
            throw new NameRuleException("max-depth", "at most " + MAX_FOLDER_DEPTH + " nested folders");
        }
        for (String segment : segments) {
            if (!SAFE_SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                throw new NameRuleException(
                        "safe-segment",
                        "each folder must render as a plain name of at most"
                                + " 100 characters starting with a letter or digit (letters, digits, '.', '_', '-')");
            }
        }
        PathRules.checkFolder(folder);
    }

    private static void checkFolderLiteral(String literal) {
        // An allow-list: anything else (spaces, ':', '*', '?', '%', quotes…) is reserved somewhere.
        if (!FOLDER_LITERAL.matcher(literal).matches()) {
            throw new NameRuleException(
                    "safe-characters",
                    "folders may only contain letters, digits, '.', '_',"
                            + " '-', '/' and tokens; reserved characters are refused");
        }
    }

    /** Renders every token but {@code {part}} and {@code {split}}, which the extraction-service fills per file. */
    public static String render(String template, String campaignName, UUID campaignId, UUID runId, Instant at) {
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "campaign.name" -> slug(campaignName);
                case "campaign.id" -> campaignId.toString();
                case "run.id" -> runId.toString();
                case "part", "split" -> m.group(0);
                case "run.date" ->
                    DateTimeFormatter.ofPattern(m.group(2), Locale.ROOT)
                            .withZone(ZoneOffset.UTC)
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
    public static String slug(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug =
                ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "campaign" : slug;
    }

    /**
     * Checks a rendered file name as the extraction-service receives it: only {@code {part}} or {@code {part:NN}}
     * placeholders are left, and the name of a part is a plain file name.
     */
    public static void checkRunFileName(String fileName) {
        checkRunFileName(fileName, false);
    }

    /**
     * Checks a rendered file name of a run that is split by a field ({@code splitByField}) or not: {@code {split}}
     * is left only in the former, and the name of a part is a plain file name even with the longest split value.
     */
    public static void checkRunFileName(String fileName, boolean splitByField) {
        if (fileName == null || fileName.isBlank()) {
            throw new NameRuleException("file-name", "the file name is empty");
        }
        String left = PART_TOKEN.matcher(fileName).replaceAll("");
        if (!splitByField && left.contains(SPLIT_TOKEN)) {
            throw new NameRuleException("file-name", "the file name holds {split} but the run is not split by a field");
        }
        if (left.replace(SPLIT_TOKEN, "").matches(".*[{}].*")) {
            throw new NameRuleException(
                    "file-name", "the file name may only hold {part}, {part:NN} or {split} placeholders");
        }
        PathRules.checkFileName(partName(fileName, 1, false, "", splitByField ? "s".repeat(MAX_SPLIT_NAME) : null));
    }

    /**
     * The name of part {@code part} (from 1): {@code {part}} filled in, or {@code -partNNN} before the extension when
     * the file is split without a placeholder; then the compression suffix.
     */
    public static String partName(String fileName, int part, boolean split, String compressionSuffix) {
        return partName(fileName, part, split, compressionSuffix, null);
    }

    /**
     * The name of part {@code part} (from 1) of the file set of split value {@code splitValue} (null when the run is
     * not split by a field): the value, escaped by {@link #splitName}, replaces {@code {split}}, or goes before the
     * extension as {@code -<value>} when the template has no {@code {split}}; then the part as {@link
     * #partName(String, int, boolean, String)} puts it ({@code mail-north-part001.csv}).
     */
    public static String partName(
            String fileName, int part, boolean split, String compressionSuffix, String splitValue) {
        String named = fileName;
        if (splitValue != null) {
            String value = splitName(splitValue);
            if (named.contains(SPLIT_TOKEN)) {
                named = named.replace(SPLIT_TOKEN, value);
            } else {
                int dot = named.lastIndexOf('.');
                named = dot > 0 ? named.substring(0, dot) + "-" + value + named.substring(dot) : named + "-" + value;
            }
        }
        Matcher m = PART_TOKEN.matcher(named);
        String name;
        if (m.find()) {
            name = m.replaceAll(r -> {
                String width = r.group(1);
                return width == null
                        ? Integer.toString(part)
                        : String.format("%0" + Integer.parseInt(width) + "d", part);
            });
        } else if (split) {
            int dot = named.lastIndexOf('.');
            String suffix = String.format("-part%03d", part);
            name = dot > 0 ? named.substring(0, dot) + suffix + named.substring(dot) : named + suffix;
        } else {
            name = named;
        }
        return name + compressionSuffix;
    }

    /**
     * A split value as it appears in a file name: injective (two different values never give one name) and always
     * safe (only {@code [A-Za-z0-9_-]}, so never a folder, a hidden name, {@code ..} or a reserved character).
     *
     * <ul>
     *   <li>Letters A–Z and a–z, digits and {@code -} are kept; every other UTF-8 byte, {@code _} and {@code .}
     *       included, becomes {@code _} and two upper-case hex digits ({@code "Île-de-France"} gives
     *       {@code _C3_8Ele-de-France}, {@code "a_b"} gives {@code a_5Fb}). Decoding is unambiguous: an {@code _} is
     *       always followed by two upper-case hex digits.
     *   <li>The empty value (a row that shows nothing in the column) is {@value #EMPTY_SPLIT}, which no escaped value
     *       can be (an escape is never followed by a lower-case letter).
     *   <li>An escaped value longer than {@value #MAX_SPLIT_NAME} characters keeps its first {@value #SPLIT_KEPT}
     *       characters (never cutting an escape), then {@code _Z} and the first 16 hex digits of the SHA-256 of the
     *       value's UTF-8 bytes: {@code _Z} never occurs in an escaped value, so a shortened name never equals a
     *       short one, and two long values share one only if their hashes collide (the extraction-service refuses
     *       a run whose names would collide, whatever the cause).
     * </ul>
     *
     * Case is kept: {@code North} and {@code north} are two names, which a case-insensitive store would fold
     * together (the extraction-service refuses such a run too).
     */
    public static String splitName(String value) {
        if (value == null || value.isEmpty()) {
            return EMPTY_SPLIT;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 8);
        int kept = -1; // length at the last escape boundary at or below SPLIT_KEPT
        for (byte b : utf8) {
            if (out.length() <= SPLIT_KEPT) {
                kept = out.length();
            }
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
                out.append((char) c);
            } else {
                out.append('_').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xF]);
            }
        }
        if (out.length() <= MAX_SPLIT_NAME) {
            return out.toString();
        }
        return out.substring(0, kept) + "_Z" + HexFormat.of().formatHex(sha256(utf8), 0, 8);
    }

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The file name without part and split placeholders or extension: the manifests are {@code
     * <stem>.manifest.json}.
     */
    public static String stem(String fileName) {
        String name = PART_TOKEN.matcher(fileName).replaceAll("").replace(SPLIT_TOKEN, "");
        int dot = name.lastIndexOf('.');
        // "{part}.csv" leaves ".csv": the stem is then empty, never a hidden name.
        name = dot >= 0 ? name.substring(0, dot) : name;
        name = name.replaceAll("[-_. ]+$", "");
        return name.isEmpty() ? "file" : name;
    }

    /** The name of the manifest JSON of a run whose file name is {@code fileName}. */
    public static String manifestJsonName(String fileName) {
        return stem(fileName) + MANIFEST + ".json";
    }

    /** The name of the CSV trigger file of a run whose file name is {@code fileName}. */
    public static String manifestCsvName(String fileName) {
        return stem(fileName) + MANIFEST + ".csv";
    }

    /** The stamp of a delivery created at {@code createdAt}, e.g. {@code 20261128T180436Z}. */
    public static String stamp(Instant createdAt) {
        return STAMP.format(createdAt);
    }

    /**
     * {@code name} with {@code _<stamp>} before its extensions, and before every wrapping extension too
     * ({@code mail-001.csv.gz} → {@code mail-001_20261128T180436Z.csv.gz}, {@code x.manifest.json} →
     * {@code x_20261128T180436Z.manifest.json}), so the name still says what the content is; {@code name} itself
     * when {@code stamp} is null.
     */
    public static String stamped(String name, String stamp) {
        if (stamp == null) {
            return name;
        }
        String stem = name;
        String suffix = "";
        boolean peeled = true;
        while (peeled) {
            peeled = false;
            for (String wrapper : WRAPPERS) {
                if (stem.toLowerCase(Locale.ROOT).endsWith(wrapper) && stem.length() > wrapper.length()) {
                    suffix = stem.substring(stem.length() - wrapper.length()) + suffix;
                    stem = stem.substring(0, stem.length() - wrapper.length());
                    peeled = true;
                    break;
                }
            }
        }
        int dot = stem.lastIndexOf('.');
        if (dot > 0 && EXTENSION.matcher(stem.substring(dot)).matches()) {
            suffix = stem.substring(dot) + suffix;
            stem = stem.substring(0, dot);
            if (stem.toLowerCase(Locale.ROOT).endsWith(MANIFEST) && stem.length() > MANIFEST.length()) {
                suffix = stem.substring(stem.length() - MANIFEST.length()) + suffix;
                stem = stem.substring(0, stem.length() - MANIFEST.length());
            }
        }
        return stem + "_" + stamp + suffix;
    }
}
