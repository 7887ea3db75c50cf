package io.mailshot.extraction.service.expression;

import java.util.List;

/**
 * The node kinds of a compiled expression. Evaluation is a plain tree walk over a finite tree: no loops,
 * no recursion beyond the (bounded) nesting depth, no reflection and no I/O.
 */
final class Nodes {

    /** Longest value any node may produce; longer results are cut, so output stays bounded. */
    static final int MAX_VALUE = 4096;

    private Nodes() {
    }

    /** Something with a source position. */
    interface Node {
        int position();
    }

    /** A node producing text (null when absent). */
    interface Str extends Node {
        String eval(List<String> row);
    }

    /** A condition, only allowed as the first argument of {@code if}. */
    interface Bool extends Node {
        boolean test(List<String> row);
    }

    /** An integer literal (lengths, offsets); integers are never computed, so they are known at compile time. */
    record Int(int position, int value) implements Str {
        @Override
        public String eval(List<String> row) {
            return Integer.toString(value);
        }
    }

    /** A fixed text: string literal, constant, campaign or run value. */
    record Literal(int position, String value) implements Str {
        @Override
        public String eval(List<String> row) {
            return value;
        }
    }

    /** The value of an attribute path, by its index in the row. */
    record Path(int position, String path, int index) implements Str {
        @Override
        public String eval(List<String> row) {
            if (index < 0 || row == null || index >= row.size()) {
                return null;
            }
            return cap(row.get(index));
        }
    }

    /** Cuts a value to {@link #MAX_VALUE} characters without splitting a surrogate pair. */
    static String cap(String s) {
        if (s == null || s.length() <= MAX_VALUE) {
            return s;
        }
        int end = MAX_VALUE;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
