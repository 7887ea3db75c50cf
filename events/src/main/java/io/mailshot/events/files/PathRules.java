package io.mailshot.events.files;

/**
 * The folder and file-name rules: a path Mailshot writes can never leave the routing's base folder, and reads the
 * same on every kind of store (S3, SFTP, Azure Blob). One implementation, applied by every service that touches a
 * name:
 *
 * <ul>
 *   <li>{@link #checkFolder}: a folder under the destination: a routing's base folder (typed by a routing
 *       administrator, {@link #normaliseBaseFolder}) and a run's folder (rendered by the campaign-service, carried by
 *       events). The campaign-service checks every folder it renders with it (its template rules are stricter still,
 *       see {@link NameTemplate}); the extraction-service at run start and the delivery-service before it writes
 *       check it again, because an event is never trusted.
 *   <li>{@link #checkFileName}: a delivered file name (a part, a manifest).
 * </ul>
 */
public final class PathRules {

    /** Longest folder: a folder is a path under the routing's base folder, not a place to store data. */
    public static final int MAX_FOLDER = 512;
    /** Longest file name, and longest folder segment, that most file systems and stores accept. */
    public static final int MAX_FILE_NAME = 255;
    /** Characters that Windows-based servers reserve, refused everywhere so that a path reads the same on each. */
    private static final String RESERVED = "\\:*?\"<>|";

    private PathRules() {}

    /**
     * Checks a folder: relative, '/'-separated, no empty, '.' or '..' segment, no hidden segment, no control or
     * reserved character, at most {@link #MAX_FOLDER} characters and {@link #MAX_FILE_NAME} per segment. Returns it;
     * throws {@link NameRuleException} saying what is wrong (as "must …", after the name of what was checked).
     */
    public static String checkFolder(String folder) {
        if (folder.isEmpty() || folder.length() > MAX_FOLDER) {
            throw new NameRuleException("folder-length", "must have 1 to " + MAX_FOLDER + " characters");
        }
        if (folder.startsWith("/")) {
            throw new NameRuleException("relative", "must be relative (no leading '/')");
        }
        if (folder.indexOf('\\') >= 0) {
            throw new NameRuleException("separator", "must use '/' as separator, not '\\'");
        }
        if (folder.chars().anyMatch(Character::isISOControl)) {
            throw new NameRuleException("safe-characters", "must not contain control characters");
        }
        for (String segment : folder.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new NameRuleException("relative", "must not contain '.' or '..' segments");
            }
            if (segment.isEmpty()) {
                throw new NameRuleException("relative", "must not contain empty segments ('//')");
            }
            if (segment.startsWith(".")) {
                throw new NameRuleException("safe-characters", "must not contain hidden segments (starting with '.')");
            }
            if (segment.length() > MAX_FILE_NAME) {
                throw new NameRuleException(
                        "folder-length", "must not have segments longer than " + MAX_FILE_NAME + " characters");
            }
            if (segment.chars().anyMatch(ch -> RESERVED.indexOf(ch) >= 0)) {
                throw new NameRuleException("safe-characters", "must not contain any of : * ? \" < > |");
            }
        }
        return folder;
    }

    /**
     * A routing's base folder as stored: null when empty, otherwise {@link #checkFolder checked}, without a trailing
     * '/'.
     */
    public static String normaliseBaseFolder(String folder) {
        if (folder == null || folder.isEmpty()) {
            return null;
        }
        return checkFolder(
                folder.endsWith("/") && folder.length() > 1 ? folder.substring(0, folder.length() - 1) : folder);
    }

    /**
     * Checks a file name: one name (no folders), not hidden, no '..', no control or reserved character, not ending in
     * a space or '.', at most {@link #MAX_FILE_NAME} characters. Throws {@link NameRuleException}.
     */
    public static String checkFileName(String name) {
        if (name == null || name.isBlank()) {
            throw new NameRuleException("file-name", "the file name is empty");
        }
        if (name.length() > MAX_FILE_NAME) {
            throw new NameRuleException("file-name", "the file name is longer than " + MAX_FILE_NAME + " characters");
        }
        if (name.contains("/") || name.contains("\\")) {
            throw new NameRuleException("file-name", "the file name must not contain folders");
        }
        if (name.startsWith(".") || name.contains("..")) {
            throw new NameRuleException("file-name", "the file name must not start with '.' or contain '..'");
        }
        if (name.chars().anyMatch(ch -> Character.isISOControl(ch) || RESERVED.indexOf(ch) >= 0)) {
            throw new NameRuleException(
                    "file-name", "the file name must not contain control characters or any of \\ : * ? \" < > |");
        }
        if (name.endsWith(" ") || name.endsWith(".")) {
            throw new NameRuleException("file-name", "the file name must not end with a space or '.'");
        }
        return name;
    }

    /** Whether {@link #checkFileName} accepts {@code name}. */
    public static boolean isFileName(String name) {
        try {
            checkFileName(name);
            return true;
        } catch (NameRuleException e) {
            return false;
        }
    }

    /** {@code folder/name}, or just {@code name} without a folder. */
    public static String join(String folder, String name) {
        return folder == null ? name : folder + "/" + name;
    }
}
