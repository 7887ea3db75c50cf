package io.mailshot.audience.service.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) from a
 * strictly decoded body, one record at a time. A record longer than the cap is consumed to its end without being
 * kept. A byte sequence the charset does not allow, or a byte-order mark at the start of any record but the first,
 * marks the record as bad (with the line, column and field of the first one) and parsing goes on with the next.
 */
public final class CsvRecords {

    private static final int NONE = Integer.MIN_VALUE;

    private final StrictDecoder in;
    private final char delimiter;
    private final int maxChars;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private long line = 1;
    private long startLine;
    private int chars;
    private boolean tooLong;
    private boolean unterminated;
    private boolean bomAtStart;
    /** Characters (code points) read so far on the current physical line. */
    private int column;

    private long badLine;
    private int badColumn;
    private int badField;
    private int pushedBack = NONE;

    public CsvRecords(StrictDecoder in, char delimiter, int maxChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxChars = maxChars;
    }

    /** The next character, noting where the record's first bad byte sequence is. */
    private int read() throws IOException {
        int c = readRaw();
        if (c == StrictDecoder.MALFORMED && badLine == 0) {
            badLine = line;
            badColumn = column;
            badField = fields.size();
        }
        return c;
    }

    /** The next character, counted in the line's columns; a look-ahead that may be pushed back. */
    private int readRaw() throws IOException {
        int c;
        if (pushedBack != NONE) {
            c = pushedBack;
            pushedBack = NONE;
        } else {
            c = in.read();
        }
        if (c != -1 && !(c >= 0 && Character.isLowSurrogate((char) c))) {
            column++; // a surrogate pair is one character, one column
        }
        return c;
    }

    private void pushBack(int c) {
        pushedBack = c;
        if (c != -1 && !(c >= 0 && Character.isLowSurrogate((char) c))) {
            column--;
        }
    }

    private void newLine() {
        line++;
        column = 0;
    }

    /** Reads the next record; false at the end of the input. */
    public boolean next() throws IOException {
        fields.clear();
        field.setLength(0);
        chars = 0;
        tooLong = false;
        unterminated = false;
        bomAtStart = false;
        badLine = 0;
        startLine = line;
        int c = read();
        if (c == -1) {
            return false;
        }
        if (c == '\uFEFF') {
            if (startLine == 1) {
                column = 0; // the byte-order mark of the body: not a character of the first line
                c = read();
                if (c == -1) {
                    return false;
                }
            } else {
                // Two files joined together: a mark inside the body would become part of the first field.
                bomAtStart = true;
            }
        }
        boolean quoted = false;
        boolean fieldStart = true;
        while (true) {
            if (c == -1) {
                if (quoted) {
                    unterminated = true;
                }
                endField();
                return true;
            }
            if (quoted) {
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        append('"');
                    } else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else if (c != StrictDecoder.MALFORMED) {
                    if (c == '\n') {
                        newLine();
                    }
                    append((char) c);
                }
            } else if (c == StrictDecoder.MALFORMED) {
                fieldStart = false; // already noted by read(); the record is refused
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (c == delimiter) {
                endField();
                fieldStart = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    int d = readRaw(); // the next record's first character, unless it is the LF of a CRLF
                    if (d != '\n') {
                        pushBack(d);
                    }
                }
                newLine();
                endField();
                return true;
            } else {
                append((char) c);
                fieldStart = false;
            }
            c = read();
        }
    }

    private void append(char c) {
        if (++chars > maxChars) {
            tooLong = true;
            return;
        }
        field.append(c);
    }

    private void endField() {
        if (!tooLong) {
            fields.add(field.toString());
        }
        field.setLength(0);
    }

    public List<String> fields() {
        return fields;
    }

    /** The line the current record starts on, from 1. */
    public long startLine() {
        return startLine;
    }

    public boolean tooLong() {
        return tooLong;
    }

    /** True when the input ended inside a quoted field. */
    public boolean unterminated() {
        return unterminated;
    }

    /** True for an empty line. */
    public boolean blank() {
        return !tooLong
                && !bomAtStart
                && badLine == 0
                && fields.size() == 1
                && fields.get(0).isEmpty();
    }

    /** True when the record starts with a byte-order mark and is not the first one. */
    public boolean bomAtStart() {
        return bomAtStart;
    }

    /** The line of the record's first byte sequence the charset does not allow; 0 when there is none. */
    public long badLine() {
        return badLine;
    }

    /** The 1-based column, in characters, of that byte sequence on its line. */
    public int badColumn() {
        return badColumn;
    }

    /** The 0-based index of the field that byte sequence is in. */
    public int badField() {
        return badField;
    }
}
