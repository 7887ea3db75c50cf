package io.mailshot.extraction.service.expression;

/**
 * A row's value breaks a bound of the expression language while it is evaluated (a value longer than 4096
 * characters, a number too long to read or to print): the row is rejected with this reason, the run goes on.
 * The message names the function or path and its position in the expression, never the value (it is profile
 * data). Without a stack trace: it is a verdict on data, not a fault of the code, and a run may reject many rows.
 */
public final class ExpressionLimitException extends RuntimeException {

    private final int position;

    ExpressionLimitException(int position, String message) {
        super("expression position " + position + ": " + message, null, false, false);
        this.position = position;
    }

    /** 0-based offset in the expression text of the function or path whose value broke the bound. */
    public int position() {
        return position;
    }
}
