package io.mailshot.extraction.service.run;

import io.mailshot.events.ExtractionCompleted;
import io.mailshot.events.ExtractionFailed;
import io.mailshot.events.ExtractionStarted;
import io.mailshot.events.Topics;
import io.mailshot.extraction.persistence.ExtractedRun;
import io.mailshot.extraction.persistence.ExtractedRunRepository;
import io.mailshot.kit.persistence.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** The transactions of an extraction: each state change is recorded together with the event describing it. */
@ApplicationScoped
public class ExtractionLedger {

    private final ExtractedRunRepository runs;
    private final Outbox outbox;

    public ExtractionLedger(ExtractedRunRepository runs, Outbox outbox) {
        this.runs = runs;
        this.outbox = outbox;
    }

    @Transactional
    public void started(UUID runId, UUID attemptId) {
        outbox.append(Topics.EXTRACTION_EVENTS, runId.toString(), new ExtractionStarted(runId, attemptId));
    }

    /**
     * Records the run as finished and publishes its completion. Returns false (and publishes nothing) when
     * the run was already finished, e.g. by another instance before a rebalance.
     */
    @Transactional
    public boolean completed(ExtractedRun run, ExtractionCompleted event) {
        if (!runs.insert(run)) {
            return false;
        }
        outbox.append(Topics.EXTRACTION_EVENTS, run.runId().toString(), event);
        return true;
    }

    /** Records the run as cancelled; the campaign-service already knows, so no event. */
    @Transactional
    public boolean cancelled(ExtractedRun run) {
        return runs.insert(run);
    }

    /** Records the run as failed upstream (resolution gave up); the campaign-service already knows, so no event. */
    @Transactional
    public boolean abandoned(ExtractedRun run) {
        return runs.insert(run);
    }

    /** Records the run as finished with a failure, so it is not retried forever, and publishes why. */
    @Transactional
    public boolean failed(ExtractedRun run) {
        if (!runs.insert(run)) {
            return false;
        }
        outbox.append(
                Topics.EXTRACTION_EVENTS, run.runId().toString(), new ExtractionFailed(run.runId(), run.reason()));
        return true;
    }
}
