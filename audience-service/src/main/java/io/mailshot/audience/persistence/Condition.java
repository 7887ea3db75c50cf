package io.mailshot.audience.persistence;

import java.util.List;

/** One validated filter condition: values are already the strings compared with the profile's text values. */
public record Condition(String path, FilterOp op, List<String> values) {

    public Condition {
        values = List.copyOf(values);
    }
}
