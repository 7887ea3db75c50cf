package io.mailshot.events.files;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The staged placements of a run ({@link StagingLayout#contactsKey}): one line per profile row written to a part,
 * naming the row by its place in the profile stream (the attempt and the {@code seq} the audience-service gave it)
 * and the file, part and split value it went to. UTF-8 CSV (RFC 4180 quoting), header {@link #HEADER}, lines ending
 * in LF. The extraction-service writes it with the parts; the audience-service reads it when the run is delivered
 * and records the contact history from it. Seeds and rejected rows have no line. It holds no profile data.
 */
public final class ContactPlacements {

    public static final String HEADER = "attempt_id,seq,file,part,cell";

    /** One line: the row {@code seq} of {@code attemptId} went to part {@code part} (from 1) named {@code file}. */
    public record Placement(UUID attemptId, long seq, String file, int part, String cell) {}

    private ContactPlacements() {}

    /** The line of a placement, without its line end. {@code cell} is null when the run is not split by a field. */
    public static String line(Placement p) {
        return p.attemptId() + "," + p.seq() + tail(p.file(), p.part(), p.cell());
    }

    /**
     * What follows the seq in the line of every row placed in one part, from the comma on: a writer computes it
     * once per part rather than once per row.
     */
    public static String tail(String file, int part, String cell) {
        return "," + quote(file) + "," + part + "," + (cell == null ? "" : quote(cell));
    }

    /** Parses a line written by {@link #line}; an empty cell field is null (an empty split value is {@code ""}). */
    public static Placement parse(String line) {
        List<String> fields = new ArrayList<>(5);
        List<Boolean> quoted = new ArrayList<>(5);
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    inQuotes = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                inQuotes = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                quoted.add(wasQuoted);
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        quoted.add(wasQuoted);
        if (inQuotes || fields.size() != 5) {
            throw new IllegalArgumentException("not a placement line: " + fields.size() + " fields");
        }
        String cell = fields.get(4).isEmpty() && !quoted.get(4) ? null : fields.get(4);
        return new Placement(
                UUID.fromString(fields.get(0)),
                Long.parseLong(fields.get(1)),
                fields.get(2),
                Integer.parseInt(fields.get(3)),
                cell);
    }

    /** Always quoted, so an empty value stays distinguishable from none, and commas or line breaks stay inside. */
    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
