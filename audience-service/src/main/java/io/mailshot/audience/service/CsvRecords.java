package io.mailshot.audience.service;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) from a
 * reader, one record at a time. A record longer than the cap is consumed to its end without being kept.
 */
final class CsvRecords {

    private final Reader in;
    private final char delimiter;
    private final int maxChars;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private long line = 1;
    private long startLine;
    private int chars;
    private boolean tooLong;
    private boolean unterminated;
    private int pushedBack = -2;

    CsvRecords(Reader in, char delimiter, int maxChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxChars = maxChars;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    /** Reads the next record; false at the end of the input. */
    boolean next() throws IOException {
        fields.clear();
        field.setLength(0);
        chars = 0;
        tooLong = false;
        unterminated = false;
        startLine = line;
        int c = read();
        if (c == -1) {
            return false;
        }
        if (startLine == 1 && c == '\uFEFF') {
            c = read(); // byte order mark
            if (c == -1) {
                return false;
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
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    append((char) c);
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (c == delimiter) {
                endField();
                fieldStart = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        pushedBack = d;
                    }
                }
                line++;
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

    List<String> fields() {
        return fields;
    }

    /** The line the current record starts on, from 1. */
    long startLine() {
        return startLine;
    }

    boolean tooLong() {
        return tooLong;
    }

    /** True when the input ended inside a quoted field. */
    boolean unterminated() {
        return unterminated;
    }

    /** True for an empty line. */
    boolean blank() {
        return !tooLong && fields.size() == 1 && fields.get(0).isEmpty();
    }
}
