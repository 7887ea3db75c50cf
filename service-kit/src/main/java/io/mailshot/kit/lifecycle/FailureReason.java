package io.mailshot.kit.lifecycle;

/**
 * The reason a run's failure is reported with (run report, events, logs): the exception and its root cause, each
 * by class and first line only, so a database's multi-line detail (which may quote a row's values) and stack
 * traces stay out, and capped in length.
 */
public final class FailureReason {

    private static final int MAX_LENGTH = 500;

    private FailureReason() {}

    public static String of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = describe(failure);
        if (root != failure) {
            String cause = describe(root);
            if (!text.contains(firstLine(root.getMessage()))) {
                text += " (cause: " + cause + ")";
            }
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "…" : text;
    }

    private static String describe(Throwable t) {
        String message = firstLine(t.getMessage());
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
