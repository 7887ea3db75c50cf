package io.mailshot.events;

import java.util.List;

/**
 * How a run's file is laid out. Every field may be null, meaning the documented default, so older
 * producers stay valid.
 *
 * @param type CSV (default), DELIMITED or FIXED_WIDTH
 * @param delimiter one character; default "," (DELIMITED: any single character, e.g. tab, ';', '|')
 * @param quote one character, or "" for no quoting (then a value holding the delimiter or a line break
 *     is an error naming the row and column); default '"'
 * @param quoteMode MINIMAL (default: quote only when needed) or ALL
 * @param header whether the first line holds the column labels; default true
 * @param encoding UTF_8 (default), UTF_8_BOM, ISO_8859_1 or WINDOWS_1252
 * @param unencodable what to do with a character the encoding lacks: TRANSLITERATE (default) or REJECT_ROW
 * @param lineEnding LF (default) or CRLF
 * @param neutraliseFormulas prefix values starting with = + - @ tab or CR with a quote; default true
 * @param compression NONE (default), GZIP or ZIP
 * @param dateFormat default pattern of formatDate, e.g. yyyy-MM-dd (default)
 * @param numberFormat default pattern of formatNumber, e.g. 0.00; default: plain
 * @param headerNotes lines written before the header row
 * @param footerNotes lines written after the last row
 * @param emptyAudience HEADER_ONLY (default: an empty file with its header, and a manifest) or NO_FILE
 *     (only a manifest with zero parts)
 * @param manifestCsv also write the manifest as a CSV trigger file; default false
 */
public record FileFormat(
        String type,
        String delimiter,
        String quote,
        String quoteMode,
        Boolean header,
        String encoding,
        String unencodable,
        String lineEnding,
        Boolean neutraliseFormulas,
        String compression,
        String dateFormat,
        String numberFormat,
        List<String> headerNotes,
        List<String> footerNotes,
        String emptyAudience,
        Boolean manifestCsv) {

    /** Every field at its default. */
    public static FileFormat defaults() {
        return new FileFormat(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
