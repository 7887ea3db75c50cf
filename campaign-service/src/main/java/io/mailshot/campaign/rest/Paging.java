package io.mailshot.campaign.rest;

import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Problem;
import java.util.List;

/**
 * Reads the {@code page} and {@code size} query parameters of list endpoints. They arrive as text because
 * JAX-RS answers a query parameter that does not convert with a bare 404; here it is a 400 problem naming
 * the parameter and the rule, like every other bad input.
 */
final class Paging {

    static final int MAX_SIZE = 200;

    private Paging() {
    }

    static int page(String value) {
        return integer("page", value, 0, Integer.MAX_VALUE);
    }

    static int size(String value) {
        return integer("size", value, 1, MAX_SIZE);
    }

    private static int integer(String name, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw refused(name, "type", name + " must be a whole number");
        }
        if (parsed < min) {
            throw refused(name, "Min", name + " must be at least " + min);
        }
        if (parsed > max) {
            throw refused(name, "Max", name + " must be at most " + max);
        }
        return parsed;
    }

    private static ApiException refused(String name, String rule, String detail) {
        return new ApiException(400, "validation-failed", "Invalid request", detail,
                List.of(new Problem.FieldError(name, rule, detail)));
    }
}
