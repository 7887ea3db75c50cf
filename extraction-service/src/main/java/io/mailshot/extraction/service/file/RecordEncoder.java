package io.mailshot.extraction.service.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Turns a record's cells into the exact bytes a part holds for it: delimiter, quoting, fixed-width padding and
 * alignment, line ending, target charset. A row is encoded once, when it is spilled, and the part copies its
 * bytes. Delimited records go through the part writer's own {@link CsvWriter} ({@link FileAssembler#csvWriter}),
 * flushed after each record: every record ends with the line ending, so nothing a stateful encoder holds back
 * (half a surrogate pair) can carry over to the next one. Not thread-safe.
 */
final class RecordEncoder {

    private final Layout layout;
    private final List<RunPlan.Column> columns;
    private final Charset charset;
    /** The bytes of the record being encoded (delimited layouts). */
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(512);
    /** Null for fixed width. */
    private final CsvWriter delimited;

    RecordEncoder(Layout layout, List<RunPlan.Column> columns) {
        this.layout = layout;
        this.columns = columns;
        this.charset = layout.encoding().charset;
        this.delimited = layout.type() == Layout.Type.FIXED_WIDTH ? null : FileAssembler.csvWriter(sink, layout);
    }

    /** A row's record (a profile or a seed), its cells fitted by {@link RunPlan} when rendered. */
    byte[] record(String[] cells) {
        return encode(cells, false);
    }

    /** The header record of the labels; in a fixed-width file, cut to the widths and padded with spaces. */
    byte[] header(String[] labels) {
        return encode(labels, true);
    }

    /** A header or footer note, as it is, with the line ending. */
    byte[] line(String note) {
        if (delimited == null) {
            return (note + layout.lineEnding()).getBytes(charset);
        }
        try {
            delimited.line(note);
            delimited.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory sink does not fail
        }
        return take();
    }

    private byte[] take() {
        byte[] record = sink.toByteArray();
        sink.reset();
        return record;
    }

    private byte[] encode(String[] cells, boolean header) {
        if (delimited != null) {
            try {
                for (String cell : cells) {
                    delimited.field(cell);
                }
                delimited.endRecord();
                delimited.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return take();
        }
        StringBuilder line = new StringBuilder(128);
        for (int i = 0; i < cells.length; i++) {
            RunPlan.Column column = columns.get(i);
            String value = cells[i] == null ? "" : cells[i];
            int length = value.codePointCount(0, value.length());
            if (length > column.width()) {
                // Only header labels get here: values were fitted (or rejected) when rendered.
                value = value.substring(0, value.offsetByCodePoints(0, column.width()));
                length = column.width();
            }
            String fill =
                    header ? " ".repeat(column.width() - length) : column.pad().repeat(column.width() - length);
            if (column.rightAlign()) {
                line.append(fill).append(value);
            } else {
                line.append(value).append(fill);
            }
        }
        line.append(layout.lineEnding());
        // What an OutputStreamWriter writes for the line: the charset's replacement for what it cannot encode.
        return line.toString().getBytes(charset);
    }
}
