package io.mailshot.extraction.service.expression;

import java.util.List;

/**
 * The node kinds of a compiled expression. Evaluation is a plain tree walk over a finite tree: no loops,
 * no recursion beyond the (bounded) nesting depth, no reflection and no I/O. Every node knows at compile time
 * the longest value it can produce and the most work its evaluation can take, so an expression's cost per row
 * is bounded before the first row is rendered.
 */
final class Nodes {

    /**
     * Longest value any node may produce or read, in UTF-16 characters. A value that would be longer is never
     * built: its row is rejected ({@link ExpressionLimitException}).
     */
    static final int MAX_VALUE = 4096;

    private Nodes() {}

    /** Something with a source position. */
    interface Node {
        int position();

        /**
         * Upper bound of the characters evaluating this node (its arguments included) reads and writes: the
         * expression's worst-case work per row, whatever the row holds. Every value is at most
         * {@link #MAX_VALUE} long at run time, which is what makes this bound hold.
         */
        long cost();
    }

    /** A node producing text (null when absent). */
    interface Str extends Node {
        String eval(List<String> row);

        /** Upper bound of the value's length in characters, at most {@link #MAX_VALUE}. */
        int maxLength();
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

        @Override
        public int maxLength() {
            return Integer.toString(value).length();
        }

        @Override
        public long cost() {
            return maxLength();
        }
    }

    /**
     * A fixed text: a string literal ({@code maxLength} its length), or a constant, campaign or run value
     * ({@code maxLength} {@link #MAX_VALUE}, whatever this run's value, so an expression costs the same when it is
     * checked without a run and when a run compiles it). Never longer than {@link #MAX_VALUE}, checked when compiled.
     */
    record Literal(int position, String value, int maxLength) implements Str {
        /** A string literal of the expression text. */
        Literal(int position, String value) {
            this(position, value, value.length());
        }

        @Override
        public String eval(List<String> row) {
            return value;
        }

        @Override
        public long cost() {
            return 0;
        }
    }

    /** The value of an attribute path, by its index in the row. */
    record Path(int position, String path, int index) implements Str {
        @Override
        public String eval(List<String> row) {
            if (index < 0 || row == null || index >= row.size()) {
                return null;
            }
            String value = row.get(index);
            if (value != null && value.length() > MAX_VALUE) {
                throw tooLong();
            }
            return value;
        }

        /** Out of {@link #eval}, which stays small enough to inline on the per-row path. */
        private ExpressionLimitException tooLong() {
            return new ExpressionLimitException(
                    position, "the value of '" + path + "' is longer than " + MAX_VALUE + " characters");
        }

        @Override
        public int maxLength() {
            return MAX_VALUE;
        }

        @Override
        public long cost() {
            return 0; // the length check reads no character
        }
    }
}
