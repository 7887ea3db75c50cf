package io.mailshot.audience.service;

import io.mailshot.kit.persistence.CancelledRuns;

import io.mailshot.audience.messaging.ProfileStreamPublisher;
import io.mailshot.events.RunRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Resolves one run: opens an attempt (transaction A), streams it, then records it (transaction B). A crash
 * in between leaves the run unresolved, so the redelivered request streams a fresh attempt.
 */
@ApplicationScoped
public class RunResolver {

    private static final Logger LOG = Logger.getLogger(RunResolver.class);

    private final ResolutionLedger ledger;
    private final ProfileStreamPublisher publisher;
    private final CancelledRuns cancellations;

    public RunResolver(ResolutionLedger ledger, ProfileStreamPublisher publisher, CancelledRuns cancellations) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.cancellations = cancellations;
    }

    public void resolve(String eventId, RunRequested run) throws Exception {
        long started = System.nanoTime();
        if (cancellations.isCancelled(run.runId())) {
            // An attempt interrupted before the cancellation may have left rows downstream: end the run there.
            publisher.sendCancelled(run.runId(), java.util.UUID.randomUUID());
            LOG.infof("run %s was cancelled; not resolving it", run.runId());
            return;
        }
        Optional<ResolutionLedger.Attempt> attempt = ledger.begin(eventId, run);
        if (attempt.isEmpty()) {
            return; // already resolved, or refused (the ledger logged which)
        }
        ProfileStreamPublisher.Outcome outcome = publisher.stream(run, attempt.get());
        if (outcome.cancelled()) {
            LOG.infof("run %s attempt %s cancelled while streaming; the stream ends with its cancellation",
                    run.runId(), attempt.get().attemptId());
            return;
        }
        boolean recorded = ledger.complete(eventId, run, attempt.get().attemptId(), outcome.matched(),
                outcome.streamed(), outcome.excluded());
        LOG.infof("run %s attempt %s resolved%s: matched=%d streamed=%d excluded=%s in %d ms", run.runId(),
                attempt.get().attemptId(), recorded ? "" : " (another attempt was recorded first)",
                outcome.matched(), outcome.streamed(), outcome.excluded(), (System.nanoTime() - started) / 1_000_000);
    }
}
