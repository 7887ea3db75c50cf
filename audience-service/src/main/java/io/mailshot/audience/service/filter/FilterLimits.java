package io.mailshot.audience.service.filter;

/**
 * Bounds on one filter, so a request cannot make the parser, the SQL text or the planner arbitrarily large.
 *
 * @param maxLength most characters of a text filter
 * @param maxDepth deepest nesting of and/or/not/parentheses
 * @param maxConditions most comparisons
 * @param maxValues most values of one {@code in}
 */
public record FilterLimits(int maxLength, int maxDepth, int maxConditions, int maxValues) {

    /** The defaults of the service configuration, for tests. */
    public static FilterLimits defaults() {
        return new FilterLimits(10_000, 16, 50, 1000);
    }
}
