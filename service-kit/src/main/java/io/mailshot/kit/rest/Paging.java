package io.mailshot.kit.rest;

import java.math.BigInteger;
import java.util.List;

/**
 * Reads the {@code page} and {@code size} query parameters of a list endpoint, given as text (JAX-RS answers a query
 * parameter that does not convert with a bare 404): a value that is not a whole number or out of bounds is a 400
 * problem naming the parameter and the rule. Bounded so that {@code page * size} always fits an offset and a deep
 * page never makes the database skip millions of rows.
 */
public final class Paging {

    public static final int MAX_SIZE = 200;
    /** The last page a client can ask for: 2,000,000 rows in at the largest size. */
    public static final int MAX_PAGE = 10_000;

    private Paging() {}

    public static int page(String value) {
        return integer("page", value, 0, MAX_PAGE);
    }

    public static int size(String value) {
        return integer("size", value, 1, MAX_SIZE);
    }

    private static int integer(String name, String value, int min, int max) {
        String text = value.strip();
        if (!text.matches("[+-]?[0-9]+")) {
            throw refused(name, "type", name + " must be a whole number");
        }
        BigInteger parsed = new BigInteger(text);
        if (parsed.compareTo(BigInteger.valueOf(min)) < 0) {
            throw refused(name, "Min", name + " must be at least " + min);
        }
        if (parsed.compareTo(BigInteger.valueOf(max)) > 0) {
            throw refused(name, "Max", name + " must be at most " + max);
        }
        return parsed.intValueExact();
    }

    private static ApiException refused(String name, String rule, String detail) {
        return new ApiException(
                400,
                "validation-failed",
                "Invalid request",
                detail,
                List.of(new Problem.FieldError(name, rule, detail)));
    }
}
