package io.mailshot.audience.persistence;

import java.util.regex.Pattern;

/**
 * A dotted path into a profile document, e.g. {@code homeAddress.countryCode}. The strict grammar is a
 * second line of defence: paths are always bound as SQL parameters, never concatenated.
 */
public final class AttributePath {

    /** Letters, digits and underscores, starting with a letter; at most 16 segments. */
    public static final String REGEX = "^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*){0,15}$";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private AttributePath() {}

    public static boolean isValid(String path) {
        return path != null && PATTERN.matcher(path).matches();
    }

    /** The path as the {@code text[]} that PostgreSQL's {@code #>>} operator takes. */
    public static String[] segments(String path) {
        if (!isValid(path)) {
            throw new IllegalArgumentException("not a valid attribute path");
        }
        return path.split("\\.");
    }
}
