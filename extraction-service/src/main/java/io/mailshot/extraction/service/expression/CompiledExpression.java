package io.mailshot.extraction.service.expression;

import java.util.List;

/**
 * A parsed and type-checked expression, bound to one run's fields and context, with its worst-case cost per row
 * known; evaluates rows only.
 */
public final class CompiledExpression {

    private final String text;
    private final Nodes.Str root;
    private final List<String> paths;

    CompiledExpression(String text, Nodes.Str root, List<String> paths) {
        this.text = text;
        this.root = root;
        this.paths = List.copyOf(paths);
    }

    /**
     * The value for one row ({@code values} aligned with the context's fields); null when empty.
     *
     * @throws ExpressionLimitException when a value of the row breaks a bound (the row must be rejected)
     */
    public String evaluate(List<String> values) {
        return root.eval(values);
    }

    /**
     * The most work evaluating one row can take, whatever the row holds (about one unit per character read or
     * written), at most {@link Expressions#MAX_COST}.
     */
    public long cost() {
        return root.cost();
    }

    /** The attribute paths the expression reads, each once, in order of appearance. */
    public List<String> paths() {
        return paths;
    }

    public String text() {
        return text;
    }
}
