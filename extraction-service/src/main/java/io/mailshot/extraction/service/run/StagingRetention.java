package io.mailshot.extraction.service.run;

import io.mailshot.events.files.StagingLayout;
import io.mailshot.extraction.client.StagingBucket;
import io.mailshot.extraction.config.ExtractionConfig;
import io.mailshot.extraction.persistence.ExtractedRunRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Removes the staged objects ({@code runs/<runId>/…}) of runs completed longer ago than the retention
 * period, and marks those runs purged. Deleting is idempotent, so concurrent instances do no harm.
 */
@ApplicationScoped
public class StagingRetention {

    private static final Logger LOG = Logger.getLogger(StagingRetention.class);
    private static final int BATCH = 100;

    private final ExtractionConfig config;
    private final ExtractedRunRepository runs;
    private final StagingBucket staging;

    public StagingRetention(ExtractionConfig config, ExtractedRunRepository runs, StagingBucket staging) {
        this.config = config;
        this.runs = runs;
        this.staging = staging;
    }

    @Scheduled(
            every = "${mailshot.extraction.retention-check-every:1h}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purgeExpired(Instant.now());
        } catch (RuntimeException e) {
            // The next tick retries; nothing is marked purged unless its objects are gone.
            LOG.warnf("staging retention clean-up failed: %s", e.toString());
        }
    }

    /**
     * Purges the staged objects of runs named by an erasure (the right to erasure: their files may hold the erased
     * profile's row), whatever their age. Idempotent: a redelivered request deletes nothing more and keeps the first
     * purge time. Returns how many objects were removed.
     */
    public int purgeErased(UUID erasureId, List<UUID> runIds, Instant now) {
        int removed = 0;
        for (UUID runId : runIds) {
            int objects = staging.deletePrefix(StagingLayout.runPrefix(runId));
            runs.markPurged(runId, now);
            removed += objects;
            LOG.infof("erasure %s: removed %d staged objects of run %s", erasureId, objects, runId);
        }
        return removed;
    }

    /** Purges every run completed before {@code now} minus the retention; returns how many runs were purged. */
    public int purgeExpired(Instant now) {
        Instant before = now.minus(config.retention());
        int purged = 0;
        while (true) {
            List<UUID> expired = runs.expired(before, BATCH);
            for (UUID runId : expired) {
                int objects = staging.deletePrefix(StagingLayout.runPrefix(runId));
                runs.markPurged(runId, now);
                purged++;
                LOG.infof("retention: removed %d staged objects of run %s", objects, runId);
            }
            if (expired.size() < BATCH) {
                return purged;
            }
        }
    }
}
