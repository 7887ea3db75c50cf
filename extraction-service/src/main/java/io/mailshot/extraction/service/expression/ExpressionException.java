package io.mailshot.extraction.service.expression;

/** An expression that cannot be parsed or type-checked, with the 0-based character position of the problem. */
public final class ExpressionException extends Exception {

    private final int position;

    public ExpressionException(int position, String message) {
        super(message);
        this.position = position;
    }

    /** 0-based offset of the offending character or token in the expression text. */
    public int position() {
        return position;
    }
}
