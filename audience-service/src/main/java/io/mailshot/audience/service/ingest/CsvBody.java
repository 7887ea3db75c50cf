package io.mailshot.audience.service.ingest;

import io.mailshot.kit.domain.DomainException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads a CSV body with the checks every bulk import makes: the header first (a body without one, or with one the
 * charset cannot read, refuses the whole request), then each record; a record with a byte sequence the charset does
 * not allow, a misplaced byte-order mark, a record longer than the limit or a quote never closed is counted and
 * refused with its line; blank records are skipped; every other record is handed on as its fields.
 */
public final class CsvBody {

    /** Receives a record that passed the checks, counted as received. */
    @FunctionalInterface
    public interface RecordHandler {
        void record(long line, List<String> fields) throws IOException;
    }

    private final CsvRecords records;
    private final Charset charset;
    private final int maxLineBytes;
    private final List<String> header;

    private CsvBody(CsvRecords records, Charset charset, int maxLineBytes) {
        this.records = records;
        this.charset = charset;
        this.maxLineBytes = maxLineBytes;
        this.header = List.copyOf(records.fields());
    }

    /** Opens the body and reads its header. */
    public static CsvBody open(InputStream body, Charset charset, char separator, int maxLineBytes) throws IOException {
        CsvRecords records = new CsvRecords(
                new StrictDecoder(BodyCharset.checkStart(body, charset), charset), separator, maxLineBytes);
        if (!records.next() || records.tooLong()) {
            throw DomainException.invalid("body", "header", "the CSV must start with a header record");
        }
        if (records.badLine() > 0) {
            throw DomainException.invalid(
                    "body",
                    "charset",
                    "the CSV header cannot be read: "
                            + BodyCharset.notValid(charset, records.badLine(), records.badColumn(), null));
        }
        return new CsvBody(records, charset, maxLineBytes);
    }

    /** The header's names, as written. */
    public List<String> header() {
        return header;
    }

    /**
     * Reads the records after the header.
     *
     * @param fieldName how a refusal names the field at a column index (null when it names none)
     */
    public void read(BulkTally tally, IntFunction<String> fieldName, RecordHandler handler) throws IOException {
        while (records.next()) {
            long line = records.startLine();
            if (records.blank()) {
                tally.at(line);
                continue;
            }
            tally.receive(line);
            if (records.badLine() > 0) {
                String field = records.badField() < header.size() ? fieldName.apply(records.badField()) : null;
                tally.reject(new BulkOutcome.RefusedLine(
                        records.badLine(),
                        records.badColumn(),
                        field,
                        BodyCharset.notValid(charset, records.badLine(), records.badColumn(), field)));
                continue;
            }
            if (records.bomAtStart()) {
                tally.reject(new BulkOutcome.RefusedLine(line, 1, null, BodyCharset.misplacedBom(line)));
                continue;
            }
            if (records.tooLong()) {
                tally.reject(line, "record is longer than " + maxLineBytes + " characters");
                continue;
            }
            if (records.unterminated()) {
                tally.reject(line, "a quoted field is not closed before the end of the body");
                continue;
            }
            handler.record(line, records.fields());
        }
    }
}
