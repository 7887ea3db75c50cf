package io.mailshot.campaign.rest;

import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Problem;
import java.math.BigInteger;
import java.util.List;

/**
 * Reads the {@code page} and {@code size} query parameters of list endpoints. They arrive as text because
 * JAX-RS answers a query parameter that does not convert with a bare 404; here it is a 400 problem naming
 * the parameter and the rule, like every other bad input. Both are bounded: the offset {@code page * size} then
 * always fits the database's, and a deep page never makes the database skip millions of rows.
 */
final class Paging {

    static final int MAX_SIZE = 200;
    /** The last page a client can ask for: 2,000,000 rows in at the largest size. */
    static final int MAX_PAGE = 10_000;

    private Paging() {
    }

    static int page(String value) {
        return integer("page", value, 0, MAX_PAGE);
    }

    static int size(String value) {
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
        return new ApiException(400, "validation-failed", "Invalid request", detail,
                List.of(new Problem.FieldError(name, rule, detail)));
    }
}
