package io.mailshot.extraction.service.file;

import java.util.Locale;

/**
 * The {@code Content-Type} a staged file is declared with, from its layout: what a provider's client is told the
 * file is. The staged object carries it, and the delivery-service passes it on to S3 and Azure Blob destinations.
 *
 * <p>Uncompressed text names its media type and its charset: CSV is {@code text/csv}; a tab-delimited file
 * {@code text/tab-separated-values}; any other delimiter and fixed width are {@code text/plain}, because
 * {@code text/csv} (RFC 4180) means commas. A byte-order mark does not change the charset ({@code utf-8}).
 * Compressed parts are the container's type ({@code application/gzip}, {@code application/zip}): a
 * {@code Content-Encoding: gzip} instead would make HTTP clients unpack a {@code .gz} file behind the provider's
 * back. Their charset is in the manifest's {@code format.encoding}.
 */
public final class FileContentType {

    /** The run's manifest, {@code manifest.json}. */
    public static final String MANIFEST_JSON = "application/json";
    /** The CSV trigger file, {@code manifest.csv}, always UTF-8. */
    public static final String MANIFEST_CSV = "text/csv; charset=utf-8";
    /** The run's placements ({@code internal/contacts.csv}), always UTF-8; staged, never delivered. */
    public static final String CONTACTS_CSV = "text/csv; charset=utf-8";

    private FileContentType() {}

    /** The content type of every part of a file with this layout. */
    public static String of(Layout layout) {
        return switch (layout.compression()) {
            case GZIP -> "application/gzip";
            case ZIP -> "application/zip";
            case NONE ->
                media(layout) + "; charset=" + layout.encoding().charset.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String media(Layout layout) {
        return switch (layout.type()) {
            case CSV -> "text/csv";
            case DELIMITED -> layout.delimiter() == '\t' ? "text/tab-separated-values" : "text/plain";
            case FIXED_WIDTH -> "text/plain";
        };
    }
}
