package io.mailshot.audience.service;

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

    public RunResolver(ResolutionLedger ledger, ProfileStreamPublisher publisher) {
        this.ledger = ledger;
        this.publisher = publisher;
    }

    public void resolve(String eventId, RunRequested run) throws Exception {
        long started = System.nanoTime();
        Optional<ResolutionLedger.Attempt> attempt = ledger.begin(eventId, run);
        if (attempt.isEmpty()) {
            return; // already resolved, or refused (the ledger logged which)
        }
        ProfileStreamPublisher.Outcome outcome = publisher.stream(run, attempt.get());
        boolean recorded = ledger.complete(eventId, run, attempt.get().attemptId(), outcome.matched(),
                outcome.streamed(), outcome.excluded());
        LOG.infof("run %s attempt %s resolved%s: matched=%d streamed=%d excluded=%s in %d ms", run.runId(),
                attempt.get().attemptId(), recorded ? "" : " (another attempt was recorded first)",
                outcome.matched(), outcome.streamed(), outcome.excluded(), (System.nanoTime() - started) / 1_000_000);
    }
}
