package io.mailshot.kit.domain;

import java.io.IOException;
import java.util.List;

/**
 * Thrown while a request body is read, as soon as it passes its endpoint's limit (the kit's {@code BodyLimits}). An
 * {@link IOException}, so code that streams a body and reports a body it could not read handles it there, and turns
 * it into its refusal with {@link #refusal}, saying what it kept.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the request body is larger than " + describe(limit));
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The refusal; {@code kept} (may be null) says what was stored before the limit was passed. */
    public DomainException refusal(String kept) {
        String detail = "the request body is larger than " + describe(limit) + ", the most this endpoint accepts"
                + (kept == null || kept.isBlank() ? "" : "; " + kept);
        return new DomainException(
                DomainException.Kind.TOO_LARGE,
                "body-too-large",
                "Request body too large",
                detail,
                List.of(new DomainException.Violation("body", "max-body-size", detail)));
    }

    /** A size in the largest binary unit that divides it, with the bytes: {@code 1 MiB (1048576 bytes)}. */
    public static String describe(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= sizes[i] && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + " " + units[i] + " (" + bytes + " bytes)";
            }
        }
        return bytes + " bytes";
    }
}
