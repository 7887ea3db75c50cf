package io.mailshot.audience.service.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.ProfileRepository;
import io.mailshot.audience.persistence.ProfileRow;
import io.mailshot.audience.service.erasure.ErasureService;
import io.mailshot.audience.service.ingest.BulkOutcome;
import io.mailshot.audience.service.ingest.BulkTally;
import io.mailshot.audience.service.ingest.CsvBody;
import io.mailshot.audience.service.ingest.NdjsonBody;
import io.mailshot.audience.service.ingest.Utf8;
import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.BodyTooLargeException;
import io.mailshot.kit.domain.DomainException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Bulk NDJSON ingestion and profile lookup. Ingestion streams the body line by line and upserts in
 * batches, each committed on its own: memory stays flat whatever the body size, and a bad line only
 * costs itself.
 */
@ApplicationScoped
public class ProfileService {

    private static final Logger LOG = Logger.getLogger(ProfileService.class);

    private final ProfileRepository profiles;
    private final ProfileValidator validator;
    private final AudienceConfig config;
    private final ObjectMapper json;
    private final AuditTrail audit;
    private final ErasureService erasures;
    /**
     * Writes bulk batches while the request thread parses the next one. One thread per concurrent bulk
     * request at most (each request has at most one batch in flight); idle threads end after a minute.
     * Hand-made rather than Quarkus's worker pool: the request thread, itself a worker, waits for its batch, so
     * on a shared pool a burst of bulk requests could hold every worker while their batches wait for one.
     */
    private final ExecutorService writer = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "profile-batch-writer");
        t.setDaemon(true);
        return t;
    });

    public ProfileService(
            ProfileRepository profiles,
            ProfileValidator validator,
            AudienceConfig config,
            ObjectMapper json,
            AuditTrail audit,
            ErasureService erasures) {
        this.json = json;
        this.erasures = erasures;
        this.audit = audit;
        this.profiles = profiles;
        this.validator = validator;
        this.config = config;
    }

    /**
     * Ingests an NDJSON stream of profiles in {@code charset} (a body in another charset than UTF-8 is transcoded
     * line by line). Never inside a JTA transaction: each batch commits alone. A line with a byte sequence the
     * charset does not allow, or starting with a byte-order mark when it is not the first, is refused like any
     * other bad line, with its line and column; the rest of the body is stored.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome ingest(InputStream body, Charset charset, Actor actor) {
        Ingestion run = new Ingestion();
        return audited(actor, "ndjson", null, run, () -> ingest(body, charset, run));
    }

    /**
     * Runs one ingestion and records it in the audit trail, in a transaction of its own (its batches commit one by
     * one): the counts only, never profile data.
     */
    private BulkOutcome audited(
            Actor actor, String format, String namespace, Ingestion run, Supplier<BulkOutcome> ingestion) {
        return run.audited(
                audit,
                actor,
                "profiles.ingest",
                AuditTrail.ref("profiles", null),
                () -> new Object[] {"format", format, "namespace", namespace},
                ingestion);
    }

    private BulkOutcome ingest(InputStream body, Charset charset, Ingestion run) {
        long started = System.nanoTime();
        try {
            NdjsonBody.read(
                    body,
                    charset,
                    config.bulk().maxLineBytes(),
                    run,
                    (line, bytes, length) -> run.offer(line, validator.parse(bytes, length)));
        } catch (IOException e) {
            throw unreadable(e, run);
        }
        return run.finish("bulk", started);
    }

    private static DomainException unreadable(IOException e, Ingestion run) {
        run.settle();
        String kept = run.accepted() + " profiles were stored";
        if (e instanceof BodyTooLargeException tooLarge) {
            return tooLarge.refusal("it was refused at line " + run.line() + "; " + kept);
        }
        return DomainException.unreadable(
                "body-unreadable",
                "Request body unreadable",
                null,
                null,
                "the request body could not be read after line " + run.line() + "; " + kept);
    }

    /**
     * Ingests a CSV upload in {@code charset}: the first record is the header, {@code mapping} turns each following
     * record into a profile document (see {@link CsvMapping}), validated like an NDJSON line. Streamed record by
     * record. A record with a byte sequence the charset does not allow is refused with the line, column and field
     * of that sequence (the rest of the body is stored); in the header, it refuses the whole request.
     *
     * @param delimiter one character; null means a comma
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome ingestCsv(
            InputStream body, Charset charset, String mapping, String namespace, String delimiter, Actor actor) {
        Ingestion run = new Ingestion();
        return audited(
                actor, "csv", namespace, run, () -> ingestCsv(body, charset, mapping, namespace, delimiter, run));
    }

    private BulkOutcome ingestCsv(
            InputStream body, Charset charset, String mapping, String namespace, String delimiter, Ingestion run) {
        CsvMapping map = CsvMapping.parse(mapping, namespace, json);
        if (delimiter != null
                && (delimiter.length() != 1
                        || delimiter.equals("\"")
                        || delimiter.equals("\n")
                        || delimiter.equals("\r"))) {
            throw DomainException.invalid(
                    "delimiter", "char", "delimiter must be one character other than a quote or" + " a line break");
        }
        char separator = delimiter == null ? ',' : delimiter.charAt(0);
        if (!charset.newEncoder().canEncode(separator)) {
            // It could never occur in the body: every record would be one field.
            throw DomainException.invalid(
                    "delimiter",
                    "charset",
                    "the delimiter cannot be written in " + charset.name() + ", the body's charset");
        }
        long started = System.nanoTime();
        try {
            CsvBody csv = CsvBody.open(body, charset, separator, config.bulk().maxLineBytes());
            List<String> header = csv.header();
            int headerSize = header.size();
            map.header(header);
            csv.read(run, column -> CsvMapping.abbreviate(header.get(column).strip()), (line, fields) -> {
                Object doc = map.document(fields, headerSize, json);
                if (doc instanceof String reason) {
                    run.reject(line, reason);
                    return;
                }
                byte[] bytes = json.writeValueAsBytes(doc);
                run.offer(line, validator.parse(bytes, bytes.length));
            });
        } catch (IOException e) {
            throw unreadable(e, run);
        }
        return run.finish("csv", started);
    }

    /**
     * Validates and upserts one profile (the Kafka path). Returns why it was refused, or null when stored;
     * throws {@link IllegalStateException} when the database fails, so the caller retries.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Upserted upsertOne(byte[] json, Instant defaultTime) {
        String refused = upsertOrRefuse(json, defaultTime);
        if (refused == null) {
            return Upserted.STORED;
        }
        return ErasureService.REFUSED.equals(refused) ? Upserted.ERASED : Upserted.refused(refused);
    }

    /** What became of one profile upsert from the topic. */
    public record Upserted(boolean stored, boolean erased, String reason) {

        static final Upserted STORED = new Upserted(true, false, null);
        /** Refused because its identity was erased: not stored, and not to be dead-lettered with its data. */
        static final Upserted ERASED = new Upserted(false, true, ErasureService.REFUSED);

        static Upserted refused(String reason) {
            return new Upserted(false, false, reason);
        }
    }

    private String upsertOrRefuse(byte[] json, Instant defaultTime) {
        // Decoded as it is stored: a byte sequence that is not UTF-8 is refused, never replaced.
        int bad = Utf8.invalidAt(json, 0, json.length);
        if (bad >= 0) {
            return "the data is not valid UTF-8 (at byte " + (bad + 1) + ", column " + Utf8.column(json, 0, bad) + ")";
        }
        if (json.length >= 3 && json[0] == (byte) 0xEF && json[1] == (byte) 0xBB && json[2] == (byte) 0xBF) {
            return "the data starts with a byte-order mark (U+FEFF), which is not part of a profile";
        }
        ProfileValidator.Outcome outcome = validator.parse(json, json.length, defaultTime);
        if (outcome.reason() != null) {
            return outcome.reason();
        }
        try {
            ProfileRow row = outcome.row();
            if (!erasures.erasedAmong(List.of(erasures.hashOf(row.namespace(), row.identity())))
                    .isEmpty()) {
                return ErasureService.REFUSED;
            }
            if (!profiles.upsert(List.of(row)).isEmpty()) {
                return "the profile could not be stored (a value PostgreSQL refuses)";
            }
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException("profile store failure, SQL state " + e.getSQLState());
        }
    }

    @PreDestroy
    void stopWriter() {
        writer.shutdown();
    }

    /** The stored profile document. */
    public String get(String namespace, String id) {
        try {
            return profiles.findDocument(namespace, id)
                    .orElseThrow(() -> new DomainException(
                            DomainException.Kind.NOT_FOUND,
                            "not-found",
                            "Not found",
                            "no profile with this identity",
                            List.of()));
        } catch (SQLException e) {
            throw storeUnavailable(e);
        }
    }

    private static DomainException storeUnavailable(SQLException e) {
        // The driver's message can quote row values: log the SQL state only.
        LOG.warnf("profile store failure, SQL state %s", e.getSQLState());
        return DomainException.unavailable("the profile store is unavailable (SQL state " + e.getSQLState() + ")");
    }

    /** The counters and pending batch of one bulk request. */
    private final class Ingestion extends BulkTally {

        final List<ProfileRow> batch = new ArrayList<>();
        final List<Long> batchLines = new ArrayList<>();
        Future<List<Integer>> inFlight;
        /** Set by the writer thread; read only by it (one batch in flight, each submit happens-after the last). */
        boolean reloading;

        List<Long> inFlightLines;
        long batchBytes;

        Ingestion() {
            super(config.bulk().maxErrors());
        }

        void offer(long line, ProfileValidator.Outcome outcome) {
            if (outcome.reason() != null) {
                reject(line, outcome.reason());
                return;
            }
            batch.add(outcome.row());
            batchLines.add(line);
            batchBytes += outcome.row().doc().length;
            if (batch.size() >= config.bulk().batchSize()
                    || batchBytes >= config.bulk().batchBytes()) {
                flush();
            }
        }

        BulkOutcome finish(String kind, long started) {
            flush();
            awaitWritten();
            LOG.infof(
                    "%s ingestion: received=%d accepted=%d rejected=%d in %d ms",
                    kind, received, accepted, rejected, (System.nanoTime() - started) / 1_000_000);
            return outcome();
        }

        /**
         * Hands the batch to the writer and returns at once, so the next batch is parsed while this one is
         * written: the request thread and PostgreSQL work at the same time. At most one batch is in flight
         * (memory stays at two batches), and its outcome is applied on the request thread before the next.
         */
        void flush() {
            refuseErased();
            awaitWritten();
            if (batch.isEmpty()) {
                return;
            }
            List<ProfileRow> rows = List.copyOf(batch);
            List<Long> lines = List.copyOf(batchLines);
            batch.clear();
            batchLines.clear();
            batchBytes = 0;
            inFlight = writer.submit(() -> store(rows));
            inFlightLines = lines;
        }

        /**
         * Writes one batch: straight {@code COPY} while this request has only met new identities (a first load),
         * an upsert once one batch held an identity already stored (a reload: later batches likely do too).
         * Runs on the writer thread, one batch at a time.
         */
        private List<Integer> store(List<ProfileRow> rows) throws SQLException {
            if (!reloading) {
                ProfileRepository.NewRows done = profiles.insertNew(rows);
                if (done == ProfileRepository.NewRows.INSERTED) {
                    return List.of();
                }
                // A refused value costs this batch a row-by-row replay, not the rest of the load its fast path.
                reloading = done == ProfileRepository.NewRows.KNOWN_IDENTITY;
            }
            return profiles.upsert(rows);
        }

        /**
         * Takes the profiles of erased identities out of the pending batch and refuses their lines: one indexed query
         * per batch, run while the previous batch is being written.
         */
        void refuseErased() {
            if (batch.isEmpty()) {
                return;
            }
            List<String> hashes = new ArrayList<>(batch.size());
            for (ProfileRow row : batch) {
                hashes.add(erasures.hashOf(row.namespace(), row.identity()));
            }
            Set<String> erased;
            try {
                erased = erasures.erasedAmong(hashes);
            } catch (SQLException e) {
                settle();
                DomainException unavailable = storeUnavailable(e);
                throw DomainException.unavailable(
                        unavailable.getMessage() + "; " + accepted + " profiles were stored before the failure");
            }
            if (erased.isEmpty()) {
                return;
            }
            for (int i = batch.size() - 1; i >= 0; i--) {
                if (erased.contains(hashes.get(i))) {
                    batchBytes -= batch.get(i).doc().length;
                    batch.remove(i);
                    reject(batchLines.remove(i), ErasureService.REFUSED);
                }
            }
        }

        /** Applies the outcome of the batch in flight, if any; throws 503 when the store failed. */
        void awaitWritten() {
            if (inFlight == null) {
                return;
            }
            List<Integer> refused;
            try {
                refused = inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DomainException.unavailable(
                        "profile ingestion was interrupted; " + accepted + " profiles were stored");
            } catch (ExecutionException e) {
                SQLException cause = e.getCause() instanceof SQLException sql
                        ? sql
                        : new SQLException(String.valueOf(e.getCause()), "58000");
                DomainException unavailable = storeUnavailable(cause);
                throw DomainException.unavailable(
                        unavailable.getMessage() + "; " + accepted + " profiles were stored before the failure");
            } finally {
                inFlight = null;
            }
            accepted += inFlightLines.size() - refused.size();
            for (int index : refused) {
                reject(inFlightLines.get(index), "the profile could not be stored (a value PostgreSQL refuses)");
            }
        }

        /** On an early end (unreadable body): waits for the batch in flight so nothing is written after the answer. */
        void settle() {
            try {
                awaitWritten();
            } catch (DomainException ignored) {
                // The request already ends with its own error.
            }
        }
    }
}
