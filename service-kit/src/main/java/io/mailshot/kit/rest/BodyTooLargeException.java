package io.mailshot.kit.rest;

import java.io.IOException;

/**
 * Thrown while a request body is read, as soon as it passes its endpoint's limit ({@link BodyLimits}). An
 * {@link IOException}, so code that streams a body and reports a body it could not read handles it there, and
 * turns it into its 413 problem with {@link #refusal}, saying what it kept.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the request body is larger than " + BodyLimits.describe(limit));
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The 413 problem; {@code kept} (may be null) says what was stored before the limit was passed. */
    public ApiException refusal(String kept) {
        ApiException plain = ApiException.tooLarge(limit);
        if (kept == null || kept.isBlank()) {
            return plain;
        }
        String detail = plain.getMessage() + "; " + kept;
        return new ApiException(413, plain.slug(), plain.title(), detail,
                java.util.List.of(new Problem.FieldError("body", "max-body-size", detail)));
    }
}
