package io.mailshot.events;

/**
 * One column of an extraction file.
 *
 * @param label the header label
 * @param path a profile attribute path such as {@code homeAddress.postalCode}; null when {@code expression}
 *     is set
 * @param expression a personalisation expression such as {@code upper(person.name.lastName)}; null for a
 *     plain attribute column
 * @param width FIXED_WIDTH only: the column's width in characters
 * @param align FIXED_WIDTH only: LEFT (default) or RIGHT
 * @param pad FIXED_WIDTH only: the pad character; default space
 * @param overflow FIXED_WIDTH only: TRUNCATE (default) or REJECT_ROW when a value is too long
 */
public record FileColumn(
        String label, String path, String expression, Integer width, String align, String pad, String overflow) {

    /** A plain attribute column. */
    public FileColumn(String label, String path) {
        this(label, path, null, null, null, null, null);
    }
}
