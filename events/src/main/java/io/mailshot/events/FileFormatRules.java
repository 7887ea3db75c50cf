package io.mailshot.events;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule a file format must pass before any file is written with it, in one place for the service that saves
 * the format (campaign-service, when a configuration or campaign is saved) and the one that writes the file
 * (extraction-service, again when a run starts): every structural character (delimiter, quote, fixed-width pad,
 * header labels, header and footer notes) can be written in the chosen encoding, and none collides with another
 * (a delimiter that is the quote or a line-ending character, a label or note that holds a line break…), so a
 * receiver can always split the file back into its rows and fields. The line endings (CR, LF) are ASCII, which
 * every supported encoding holds. Pure: no I/O, no state.
 */
public final class FileFormatRules {

    private FileFormatRules() {}

    /**
     * One broken rule.
     *
     * @param field what breaks it, relative to a {@link RunSpec}: {@code format.delimiter},
     *     {@code format.headerNotes[0]}, {@code columns[2].pad}…
     * @param rule a stable code: {@code single-character}, {@code csv}, {@code encodable}, {@code distinct},
     *     {@code single-line}, {@code not-null}
     * @param message a sentence for a person, naming the character by its code point
     * @param against the other {@link FileFormat} setting the field collides with ({@code encoding},
     *     {@code quote}, {@code lineEnding}, {@code neutraliseFormulas}, {@code type}), or null
     */
    public record Violation(String field, String rule, String message, String against) {}

    /**
     * Every broken rule of a format and its columns, in a stable order (format settings, notes, then columns);
     * empty when a file written with them can always be read back. Settings this rule does not know (an
     * unknown type or encoding) are left to the checks that parse them.
     *
     * @param format null means {@link FileFormat#defaults()}
     * @param columns null or empty to check the format alone (a configuration's defaults)
     */
    public static List<Violation> check(FileFormat format, List<FileColumn> columns) {
        FileFormat f = format == null ? FileFormat.defaults() : format;
        List<Violation> found = new ArrayList<>();
        String type = f.type() == null ? "CSV" : f.type();
        boolean fixedWidth = type.equals("FIXED_WIDTH");
        String encodingName = f.encoding() == null ? "UTF_8" : f.encoding();
        CharsetEncoder encoder = encoder(encodingName);
        String delimiter = f.delimiter() == null ? "," : f.delimiter();
        String quote = f.quote() == null ? "\"" : f.quote();

        if (!fixedWidth) {
            if (delimiter.length() != 1) {
                found.add(new Violation(
                        "format.delimiter", "single-character", "the delimiter must be exactly one character", null));
            } else {
                char d = delimiter.charAt(0);
                if (isLineBreak(d)) {
                    found.add(new Violation(
                            "format.delimiter",
                            "distinct",
                            "the delimiter must not be a line break (" + spell(d) + "): every line ending holds it",
                            "lineEnding"));
                } else if (!encodable(encoder, delimiter)) {
                    found.add(new Violation(
                            "format.delimiter",
                            "encodable",
                            "the delimiter " + spell(d) + " cannot be written in " + encodingName
                                    + ": every line would hold a replacement instead",
                            "encoding"));
                }
                if (quote.length() == 1 && quote.charAt(0) == d) {
                    found.add(new Violation(
                            "format.delimiter",
                            "distinct",
                            "the delimiter must not be the quote character " + spell(d),
                            "quote"));
                }
                if (quote.isEmpty() && d == '\'' && !Boolean.FALSE.equals(f.neutraliseFormulas())) {
                    found.add(new Violation(
                            "format.delimiter",
                            "distinct",
                            "the delimiter ' is the prefix that"
                                    + " neutralises formulas, and without quoting every neutralised value would hold it: quote"
                                    + " values, pick another delimiter, or set neutraliseFormulas to false",
                            "neutraliseFormulas"));
                }
            }
            if (quote.length() > 1) {
                found.add(new Violation(
                        "format.quote",
                        "single-character",
                        "the quote must be one character, or empty for no quoting",
                        null));
            } else if (quote.length() == 1) {
                char q = quote.charAt(0);
                if (isLineBreak(q)) {
                    found.add(new Violation(
                            "format.quote",
                            "distinct",
                            "the quote must not be a line break (" + spell(q) + ")",
                            "lineEnding"));
                } else if (!encodable(encoder, quote)) {
                    found.add(new Violation(
                            "format.quote",
                            "encodable",
                            "the quote " + spell(q) + " cannot be written in " + encodingName,
                            "encoding"));
                }
            }
            if (type.equals("CSV") && (!delimiter.equals(",") || !quote.equals("\""))) {
                found.add(new Violation(
                        delimiter.equals(",") ? "format.quote" : "format.delimiter",
                        "csv",
                        "a CSV file (RFC 4180) uses the delimiter ',' and the quote '\"'; use type DELIMITED for others",
                        "type"));
            }
        }
        notes(found, "format.headerNotes", "header note", f.headerNotes(), encoder, encodingName);
        notes(found, "format.footerNotes", "footer note", f.footerNotes(), encoder, encodingName);

        if (columns != null) {
            boolean header = f.header() == null || f.header();
            boolean unquoted = !fixedWidth && quote.isEmpty() && delimiter.length() == 1;
            for (int i = 0; i < columns.size(); i++) {
                FileColumn column = columns.get(i);
                if (column == null) {
                    continue;
                }
                String at = "columns[" + i + "]";
                String label = column.label();
                if (header && label != null) {
                    int lineBreak = firstLineBreak(label);
                    if (lineBreak >= 0) {
                        found.add(new Violation(
                                at + ".label",
                                "single-line",
                                "the label of column " + (i + 1)
                                        + " holds a line break, which would split the header line",
                                null));
                    } else if (unquoted && label.indexOf(delimiter.charAt(0)) >= 0) {
                        found.add(new Violation(
                                at + ".label",
                                "distinct",
                                "the label of column " + (i + 1)
                                        + " holds the delimiter " + spell(delimiter.charAt(0))
                                        + ", and the format has no quoting",
                                "quote"));
                    }
                    int bad = firstUnencodable(encoder, label);
                    if (bad >= 0) {
                        found.add(new Violation(
                                at + ".label",
                                "encodable",
                                "the label of column " + (i + 1)
                                        + " holds " + spell(label.codePointAt(bad)) + ", which " + encodingName
                                        + " cannot hold",
                                "encoding"));
                    }
                }
                if (fixedWidth && column.pad() != null) {
                    String pad = column.pad();
                    if (pad.isEmpty() || pad.codePointCount(0, pad.length()) != 1) {
                        found.add(new Violation(
                                at + ".pad",
                                "single-character",
                                "the pad of column " + (i + 1) + " must be exactly one character",
                                null));
                    } else if (isLineBreak(pad.charAt(0))) {
                        found.add(new Violation(
                                at + ".pad",
                                "distinct",
                                "the pad of column " + (i + 1) + " must not be a line break (" + spell(pad.charAt(0))
                                        + ")",
                                "lineEnding"));
                    } else if (!encodable(encoder, pad)) {
                        found.add(new Violation(
                                at + ".pad",
                                "encodable",
                                "the pad " + spell(pad.codePointAt(0)) + " of column " + (i + 1)
                                        + " cannot be written in " + encodingName,
                                "encoding"));
                    }
                }
            }
        }
        return found;
    }

    private static void notes(
            List<Violation> found,
            String field,
            String what,
            List<String> notes,
            CharsetEncoder encoder,
            String encodingName) {
        if (notes == null) {
            return;
        }
        for (int i = 0; i < notes.size(); i++) {
            String note = notes.get(i);
            if (note == null) {
                found.add(new Violation(
                        field + "[" + i + "]",
                        "not-null",
                        what + " " + (i + 1) + " is null; an empty line is \"\"",
                        null));
                continue;
            }
            if (firstLineBreak(note) >= 0) {
                found.add(new Violation(
                        field + "[" + i + "]",
                        "single-line",
                        what + " " + (i + 1) + " holds a line break; a note is written as one line",
                        null));
            }
            int bad = firstUnencodable(encoder, note);
            if (bad >= 0) {
                found.add(new Violation(
                        field + "[" + i + "]",
                        "encodable",
                        what + " " + (i + 1) + " holds " + spell(note.codePointAt(bad)) + ", which " + encodingName
                                + " cannot hold",
                        "encoding"));
            }
        }
    }

    /** The encoder of a {@link FileFormat#encoding()} name, or null when the name is unknown. */
    private static CharsetEncoder encoder(String encoding) {
        return switch (encoding) {
            case "UTF_8", "UTF_8_BOM" -> StandardCharsets.UTF_8.newEncoder();
            case "ISO_8859_1" -> StandardCharsets.ISO_8859_1.newEncoder();
            case "WINDOWS_1252" -> Charset.forName("windows-1252").newEncoder();
            default -> null;
        };
    }

    private static boolean encodable(CharsetEncoder encoder, String text) {
        return firstUnencodable(encoder, text) < 0;
    }

    /**
     * Index of the first character (or surrogate pair) the encoder cannot write, or -1. An unpaired surrogate
     * cannot be written in any of the encodings.
     */
    private static int firstUnencodable(CharsetEncoder encoder, String text) {
        if (encoder == null) {
            return -1;
        }
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (!encoder.canEncode(text.substring(i, i + n))) {
                return i;
            }
            i += n;
        }
        return -1;
    }

    private static int firstLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isLineBreak(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    /** A character as a person can read it in a message: {@code '€' (U+20AC)}, or only its code point when invisible. */
    private static String spell(int cp) {
        String code = String.format("U+%04X", cp);
        if (Character.isISOControl(cp)
                || Character.isSurrogate((char) cp) && cp < 0x10000
                || Character.isWhitespace(cp)
                || Character.getType(cp) == Character.FORMAT) {
            return code;
        }
        return "'" + new String(Character.toChars(cp)) + "' (" + code + ")";
    }
}
