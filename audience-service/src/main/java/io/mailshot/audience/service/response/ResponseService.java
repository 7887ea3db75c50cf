package io.mailshot.audience.service.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.ResponseRepository;
import io.mailshot.audience.persistence.ResponseRow;
import io.mailshot.audience.service.erasure.ErasureService;
import io.mailshot.audience.service.ingest.BulkOutcome;
import io.mailshot.audience.service.ingest.BulkTally;
import io.mailshot.audience.service.ingest.CsvBody;
import io.mailshot.audience.service.ingest.NdjsonBody;
import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.BodyTooLargeException;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.util.ArrayList;
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
        return run.audited(
                audit,
                actor,
                "responses.import",
                AuditTrail.ref("responses", null),
                () -> new Object[] {"format", format},
                work);
    }

    private BulkOutcome ndjson(InputStream body, Charset charset, Import run) {
        try {
            NdjsonBody.read(
                    body,
                    charset,
                    config.bulk().maxLineBytes(),
                    run,
                    (line, bytes, length) -> run.offer(line, parser.json(bytes, length)));
        } catch (IOException e) {
            throw unreadable(e, run);
        }
        return run.finish();
    }

    private BulkOutcome csv(InputStream body, Charset charset, Import run) {
        try {
            CsvBody csv = CsvBody.open(body, charset, ',', config.bulk().maxLineBytes());
            Map<String, Integer> columns = header(csv.header());
            int size = csv.header().size();
            csv.read(run, column -> null, (line, fields) -> {
                if (fields.size() != size) {
                    run.reject(line, "the record has " + fields.size() + " fields, the header " + size);
                    return;
                }
                run.offer(
                        line,
                        parser.cells(
                                cell(fields, columns, "namespace"),
                                cell(fields, columns, "id"),
                                cell(fields, columns, "respondedAt"),
                                cell(fields, columns, "channel"),
                                cell(fields, columns, "amount")));
            });
        } catch (IOException e) {
            throw unreadable(e, run);
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

    private static DomainException unreadable(IOException e, Import run) {
        long line = run.line();
        String kept = run.accepted() + " responses were stored";
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
    private final class Import extends BulkTally {

        final List<ResponseRow> batch = new ArrayList<>();
        final List<Long> batchLines = new ArrayList<>();

        Import() {
            super(config.bulk().maxErrors());
        }

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
            LOG.infof("response import: received=%d accepted=%d rejected=%d", received, accepted, rejected);
            return outcome();
        }
    }
}
