package io.mailshot.extraction.rest;

import java.util.List;

/** The verdict on each expression, in request order. */
public record ExpressionCheckResponse(List<Result> results) {

    /**
     * @param error null when valid
     * @param paths the attribute paths the expression reads (empty when invalid)
     */
    public record Result(String expression, boolean valid, Error error, List<String> paths) {}

    /** @param position 0-based character offset of the problem in the expression */
    public record Error(int position, String message) {}
}
