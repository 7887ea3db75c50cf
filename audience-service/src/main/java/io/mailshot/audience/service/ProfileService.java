package io.mailshot.audience.service;

import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.ProfileRepository;
import io.mailshot.audience.persistence.ProfileRow;
import io.mailshot.audience.rest.BulkResult;
import io.mailshot.kit.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    public ProfileService(ProfileRepository profiles, ProfileValidator validator, AudienceConfig config) {
        this.profiles = profiles;
        this.validator = validator;
        this.config = config;
    }

    /** Ingests an NDJSON stream of profiles. Never inside a JTA transaction: each batch commits alone. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkResult ingest(InputStream body) {
        Ingestion run = new Ingestion();
        NdjsonLines lines = new NdjsonLines(body, config.bulk().maxLineBytes());
        long lineNumber = 0;
        long started = System.nanoTime();
        try {
            while (lines.next()) {
                lineNumber++;
                if (lines.tooLong()) {
                    run.received++;
                    run.reject(lineNumber, "line is longer than " + config.bulk().maxLineBytes() + " bytes");
                    continue;
                }
                if (lines.blank()) {
                    continue;
                }
                run.received++;
                ProfileValidator.Outcome outcome = validator.parse(lines.bytes(), lines.length());
                if (outcome.reason() != null) {
                    run.reject(lineNumber, outcome.reason());
                    continue;
                }
                run.batch.add(outcome.row());
                run.batchLines.add(lineNumber);
                run.batchBytes += outcome.row().doc().length();
                if (run.batch.size() >= config.bulk().batchSize() || run.batchBytes >= config.bulk().batchBytes()) {
                    run.flush();
                }
            }
        } catch (IOException e) {
            throw new ApiException(400, "body-unreadable", "Request body unreadable",
                    "the request body could not be read after line " + lineNumber + "; " + run.accepted
                            + " profiles were stored",
                    List.of());
        }
        run.flush();
        run.errors.sort(Comparator.comparingLong(BulkResult.LineError::line));
        LOG.infof("bulk ingestion: received=%d accepted=%d rejected=%d in %d ms", run.received, run.accepted,
                run.rejected, (System.nanoTime() - started) / 1_000_000);
        return new BulkResult(run.received, run.accepted, run.rejected, List.copyOf(run.errors));
    }

    /** The stored profile document. */
    public String get(String namespace, String id) {
        try {
            return profiles.findDocument(namespace, id)
                    .orElseThrow(() -> new ApiException(404, "not-found", "Not found",
                            "no profile with this identity", List.of()));
        } catch (SQLException e) {
            throw storeUnavailable(e);
        }
    }

    private static ApiException storeUnavailable(SQLException e) {
        // The driver's message can quote row values: log the SQL state only.
        LOG.warnf("profile store failure, SQL state %s", e.getSQLState());
        return ApiException.unavailable("the profile store is unavailable (SQL state " + e.getSQLState() + ")");
    }

    /** The counters and pending batch of one bulk request. */
    private final class Ingestion {

        final List<ProfileRow> batch = new ArrayList<>();
        final List<Long> batchLines = new ArrayList<>();
        final List<BulkResult.LineError> errors = new ArrayList<>();
        long batchBytes;
        long received;
        long accepted;
        long rejected;

        void reject(long line, String reason) {
            rejected++;
            if (errors.size() < config.bulk().maxErrors()) {
                errors.add(new BulkResult.LineError(line, reason));
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<Integer> refused;
            try {
                refused = profiles.upsert(batch);
            } catch (SQLException e) {
                ApiException unavailable = storeUnavailable(e);
                throw new ApiException(503, unavailable.slug(), unavailable.title(), unavailable.getMessage()
                        + "; " + accepted + " profiles were stored before the failure", List.of());
            }
            accepted += batch.size() - refused.size();
            for (int index : refused) {
                reject(batchLines.get(index), "the profile could not be stored (a value PostgreSQL refuses)");
            }
            batch.clear();
            batchLines.clear();
            batchBytes = 0;
        }
    }
}
