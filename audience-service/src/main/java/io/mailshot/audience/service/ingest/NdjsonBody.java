package io.mailshot.audience.service.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Reads an NDJSON body in any charset (transcoded to UTF-8 line by line) with the checks every bulk import makes: a
 * line longer than the limit, a byte-order mark past the first line, or a byte sequence the charset does not allow is
 * counted and refused with its line (and column); empty lines are skipped; every other line is handed on as bytes.
 */
public final class NdjsonBody {

    /** Receives a line that passed the checks, counted as received. */
    @FunctionalInterface
    public interface LineHandler {
        void line(long number, byte[] bytes, int length) throws IOException;
    }

    private NdjsonBody() {}

    public static void read(InputStream body, Charset charset, int maxLineBytes, BulkTally tally, LineHandler handler)
            throws IOException {
        InputStream in = BodyCharset.checkStart(body, charset);
        if (!charset.equals(StandardCharsets.UTF_8)) {
            in = new Utf8Transcoding(new StrictDecoder(in, charset));
        }
        NdjsonLines lines = new NdjsonLines(in, maxLineBytes);
        long number = 0;
        while (lines.next()) {
            number++;
            if (lines.tooLong()) {
                tally.receive(number);
                tally.reject(number, "line is longer than " + maxLineBytes + " bytes");
                continue;
            }
            if (number == 1 && lines.startsWithBom()) {
                lines.dropBom(); // the body's own byte-order mark
            }
            if (lines.blank()) {
                tally.at(number);
                continue;
            }
            tally.receive(number);
            if (lines.startsWithBom()) {
                tally.reject(new BulkOutcome.RefusedLine(number, 1, null, BodyCharset.misplacedBom(number)));
                continue;
            }
            int bad = lines.invalidAt();
            if (bad >= 0) {
                int column = lines.column(bad);
                tally.reject(new BulkOutcome.RefusedLine(
                        number, column, null, BodyCharset.notValid(charset, number, column, null)));
                continue;
            }
            handler.line(number, lines.bytes(), lines.length());
        }
    }
}
