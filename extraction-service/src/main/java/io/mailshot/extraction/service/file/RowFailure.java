package io.mailshot.extraction.service.file;

/**
 * A row holds a value the format cannot represent at all (e.g. a delimiter with no quoting): the run fails
 * rather than write a corrupted file. The message names the row and column, never the value.
 */
public final class RowFailure extends Exception {

    public RowFailure(String message) {
        super(message);
    }
}
