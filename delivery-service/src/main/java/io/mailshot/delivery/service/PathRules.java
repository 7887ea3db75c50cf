package io.mailshot.delivery.service;

import java.util.regex.Pattern;

/** What a base folder and a delivered file name may look like, so a path can never escape the base folder. */
public final class PathRules {

    /** One folder or file name: no separators, no control characters, cannot be "." or "..". */
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._ @+=,-]{0,254}$");

    private PathRules() {
    }

    /** A plain file name (no folders). */
    public static boolean isPlainFileName(String name) {
        return name != null && SEGMENT.matcher(name).matches() && !name.endsWith(" ") && !name.endsWith(".");
    }

    /**
     * The base folder as stored: null when blank, otherwise relative safe segments joined by '/', without a
     * trailing '/'. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static String normaliseBaseFolder(String folder) {
        if (folder == null || folder.isEmpty()) {
            return null;
        }
        if (folder.startsWith("/")) {
            throw new IllegalArgumentException("must be relative (no leading '/')");
        }
        if (folder.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("must use '/' as separator, not '\\'");
        }
        for (char ch : folder.toCharArray()) {
            if (Character.isISOControl(ch)) {
                throw new IllegalArgumentException("must not contain control characters");
            }
        }
        String trimmed = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        for (String segment : trimmed.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("must not contain '.' or '..' segments");
            }
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("must not contain empty segments ('//')");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("has a segment '" + segment.replaceAll("\\p{Cntrl}", "?")
                        + "' that is not letters, digits and . _ - @ + = , starting with a letter, digit or '_'");
            }
        }
        return trimmed;
    }

    /** {@code baseFolder/name}, or just name without a base folder. */
    public static String join(String baseFolder, String name) {
        return baseFolder == null ? name : baseFolder + "/" + name;
    }
}
