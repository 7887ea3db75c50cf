package io.mailshot.audience.service.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.ResponseRepository;
import io.mailshot.audience.persistence.ResponseRow;
import io.mailshot.audience.service.erasure.ErasureService;
import io.mailshot.audience.service.ingest.BodyCharset;
import io.mailshot.audience.service.ingest.BulkOutcome;
import io.mailshot.audience.service.ingest.CsvRecords;
import io.mailshot.audience.service.ingest.NdjsonLines;
import io.mailshot.audience.service.ingest.StrictDecoder;
import io.mailshot.audience.service.ingest.Utf8Transcoding;
import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.audit.Outcome;
import io.mailshot.kit.domain.BodyTooLargeException;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Bulk import of responses (NDJSON, or CSV with a header), streamed line by line and stored in batches (each its own
 * transaction, {@code COPY} into a session table then one insert). A response already stored — same identity, time
 * and channel — is accepted and changes nothing, so importing a file twice counts nothing twice. A response of an
 * erased identity is refused: the service keeps nothing of that person.
 */
@ApplicationScoped
public class ResponseService {

    private static final Logger LOG = Logger.getLogger(ResponseService.class);

    private final ResponseRepository responses;
    private final ResponseParser parser;
    private final ErasureService erasures;
    private final AudienceConfig config;
    private final AuditTrail audit;

    public ResponseService(
            ResponseRepository responses,
            ObjectMapper json,
            ErasureService erasures,
            AudienceConfig config,
            AuditTrail audit) {
        this.responses = responses;
        this.parser = new ResponseParser(json);
        this.erasures = erasures;
        this.config = config;
        this.audit = audit;
    }

    /** Imports NDJSON, one response a line, in {@code charset}. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome importNdjson(InputStream body, Charset charset, Actor actor) {
        Import run = new Import();
        return audited(actor, "ndjson", run, () -> ndjson(body, charset, run));
    }

    /** Imports CSV: a header naming the columns (namespace, id, respondedAt, channel, amount; any order), then records. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome importCsv(InputStream body, Charset charset, Actor actor) {
        Import run = new Import();
        return audited(actor, "csv", run, () -> csv(body, charset, run));
    }

    private BulkOutcome audited(Actor actor, String format, Import run, Supplier<BulkOutcome> work) {
        BulkOutcome result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            if (!(run.received == 0 && BulkOutcome.refusedInput(e))) {
                try {
                    audit.recordAlone(
                            actor,
                            "responses.import",
                            AuditTrail.ref("responses", null),
                            Outcome.FAILED,
                            AuditTrail.details(
                                    "format",
                                    format,
                                    "received",
                                    run.received,
                                    "accepted",
                                    run.accepted,
                                    "rejected",
                                    run.rejected,
                                    "problem",
                                    BulkOutcome.problemCode(e)));
                } catch (RuntimeException unaudited) {
                    e.addSuppressed(unaudited);
                }
            }
            throw e;
        }
        audit.recordAlone(
                actor,
                "responses.import",
                AuditTrail.ref("responses", null),
                Outcome.DONE,
                AuditTrail.details(
                        "format",
                        format,
                        "received",
                        result.received(),
                        "accepted",
                        result.accepted(),
                        "rejected",
                        result.rejected()));
        return result;
    }

    private BulkOutcome ndjson(InputStream body, Charset charset, Import run) {
        long lineNumber = 0;
        try {
            InputStream in = BodyCharset.checkStart(body, charset);
            if (!charset.equals(StandardCharsets.UTF_8)) {
                in = new Utf8Transcoding(new StrictDecoder(in, charset));
            }
            NdjsonLines lines = new NdjsonLines(in, config.bulk().maxLineBytes());
            while (lines.next()) {
                lineNumber++;
                if (lines.tooLong()) {
                    run.received++;
                    run.reject(
                            lineNumber, "line is longer than " + config.bulk().maxLineBytes() + " bytes");
                    continue;
                }
                if (lineNumber == 1 && lines.startsWithBom()) {
                    lines.dropBom();
                }
                if (lines.blank()) {
                    continue;
                }
                run.received++;
                if (lines.startsWithBom()) {
                    run.reject(new BulkOutcome.RefusedLine(lineNumber, 1, null, BodyCharset.misplacedBom(lineNumber)));
                    continue;
                }
                int bad = lines.invalidAt();
                if (bad >= 0) {
                    int column = lines.column(bad);
                    run.reject(new BulkOutcome.RefusedLine(
                            lineNumber, column, null, BodyCharset.notValid(charset, lineNumber, column, null)));
                    continue;
                }
                run.offer(lineNumber, parser.json(lines.bytes(), lines.length()));
            }
        } catch (IOException e) {
            throw unreadable(e, lineNumber, run);
        }
        return run.finish();
    }

    private BulkOutcome csv(InputStream body, Charset charset, Import run) {
        long line = 0;
        try {
            CsvRecords records = new CsvRecords(
                    new StrictDecoder(BodyCharset.checkStart(body, charset), charset),
                    ',',
                    config.bulk().maxLineBytes());
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
            Map<String, Integer> columns = header(records.fields());
            int size = records.fields().size();
            while (records.next()) {
                line = records.startLine();
                if (records.blank()) {
                    continue;
                }
                run.received++;
                if (records.badLine() > 0) {
                    run.reject(new BulkOutcome.RefusedLine(
                            records.badLine(),
                            records.badColumn(),
                            null,
                            BodyCharset.notValid(charset, records.badLine(), records.badColumn(), null)));
                    continue;
                }
                if (records.bomAtStart()) {
                    run.reject(new BulkOutcome.RefusedLine(line, 1, null, BodyCharset.misplacedBom(line)));
                    continue;
                }
                if (records.tooLong()) {
                    run.reject(line, "record is longer than " + config.bulk().maxLineBytes() + " characters");
                    continue;
                }
                if (records.unterminated()) {
                    run.reject(line, "a quoted field is not closed before the end of the body");
                    continue;
                }
                List<String> fields = records.fields();
                if (fields.size() != size) {
                    run.reject(line, "the record has " + fields.size() + " fields, the header " + size);
                    continue;
                }
                run.offer(
                        line,
                        parser.cells(
                                cell(fields, columns, "namespace"),
                                cell(fields, columns, "id"),
                                cell(fields, columns, "respondedAt"),
                                cell(fields, columns, "channel"),
                                cell(fields, columns, "amount")));
            }
        } catch (IOException e) {
            throw unreadable(e, line, run);
        }
        return run.finish();
    }

    /** Column index by field name; the header must name every required field once and nothing else. */
    private static Map<String, Integer> header(List<String> names) {
        Map<String, Integer> columns = new HashMap<>();
        Map<String, String> known = new HashMap<>();
        ResponseParser.FIELDS.forEach(f -> known.put(f.toLowerCase(Locale.ROOT), f));
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            String field = known.get(name.toLowerCase(Locale.ROOT));
            if (field == null) {
                throw DomainException.invalid(
                        "body",
                        "header",
                        "CSV column " + (i + 1) + " is not one of namespace, id, respondedAt, channel, amount");
            }
            if (columns.put(field, i) != null) {
                throw DomainException.invalid("body", "header", "the CSV header names " + field + " twice");
            }
        }
        for (String required : List.of("namespace", "id", "respondedAt", "channel")) {
            if (!columns.containsKey(required)) {
                throw DomainException.invalid("body", "header", "the CSV header has no " + required + " column");
            }
        }
        return columns;
    }

    private static String cell(List<String> fields, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        return index == null ? null : fields.get(index);
    }

    private static DomainException unreadable(IOException e, long line, Import run) {
        String kept = run.accepted + " responses were stored";
        if (e instanceof BodyTooLargeException tooLarge) {
            return tooLarge.refusal("it was refused at line " + line + "; " + kept);
        }
        return DomainException.unreadable(
                "body-unreadable",
                "Request body unreadable",
                null,
                null,
                "the request body could not be read after line " + line + "; " + kept);
    }

    /** The counters and pending batch of one import. */
    private final class Import {

        final List<ResponseRow> batch = new ArrayList<>();
        final List<Long> batchLines = new ArrayList<>();
        final List<BulkOutcome.RefusedLine> errors = new ArrayList<>();
        long received;
        long accepted;
        long rejected;

        void offer(long line, ResponseParser.Outcome outcome) {
            if (outcome.reason() != null) {
                reject(line, outcome.reason());
                return;
            }
            batch.add(outcome.row());
            batchLines.add(line);
            if (batch.size() >= config.bulk().batchSize()) {
                flush();
            }
        }

        void reject(long line, String reason) {
            reject(new BulkOutcome.RefusedLine(line, reason));
        }

        void reject(BulkOutcome.RefusedLine error) {
            rejected++;
            if (errors.size() < config.bulk().maxErrors()) {
                errors.add(error);
            }
        }

        /** Refuses the responses of erased identities, then stores the rest of the batch in one transaction. */
        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            try {
                List<String> hashes = new ArrayList<>(batch.size());
                for (ResponseRow row : batch) {
                    hashes.add(erasures.hashOf(row.namespace(), row.identity()));
                }
                Set<String> erased = erasures.erasedAmong(hashes);
                List<ResponseRow> rows = new ArrayList<>(batch.size());
                List<Long> lines = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    if (erased.contains(hashes.get(i))) {
                        reject(batchLines.get(i), ErasureService.REFUSED);
                    } else {
                        rows.add(batch.get(i));
                        lines.add(batchLines.get(i));
                    }
                }
                List<Integer> refused = responses.store(rows);
                accepted += rows.size() - refused.size();
                for (int index : refused) {
                    reject(lines.get(index), "the response could not be stored (a value PostgreSQL refuses)");
                }
            } catch (SQLException e) {
                LOG.warnf("response store failure, SQL state %s", e.getSQLState());
                throw DomainException.unavailable("the response store is unavailable (SQL state " + e.getSQLState()
                        + "); " + accepted + " responses were stored before the failure");
            } finally {
                batch.clear();
                batchLines.clear();
            }
        }

        BulkOutcome finish() {
            flush();
            errors.sort(Comparator.comparingLong(BulkOutcome.RefusedLine::line));
            LOG.infof("response import: received=%d accepted=%d rejected=%d", received, accepted, rejected);
            return new BulkOutcome(received, accepted, rejected, List.copyOf(errors));
        }
    }
}
