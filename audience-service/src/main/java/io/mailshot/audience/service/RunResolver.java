package io.mailshot.audience.service;

import io.mailshot.kit.persistence.CancelledRuns;

import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.messaging.ProfileStreamPublisher;
import io.mailshot.events.AudienceSliceRequested;
import io.mailshot.events.RunRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Resolves one run: opens an attempt (transaction A), streams it, then records it (transaction B). A crash
 * in between leaves the run unresolved, so the redelivered request streams a fresh attempt.
 *
 * <p>With {@code mailshot.audience.stream.slices} above 1, the replica that receives the run only splits it
 * into slice requests; each slice is then resolved the same way (A, stream, B) by whichever replica of the
 * group receives it, and the last slice recorded records the run.
 */
@ApplicationScoped
public class RunResolver {

    private static final Logger LOG = Logger.getLogger(RunResolver.class);

    private final ResolutionLedger ledger;
    private final ProfileStreamPublisher publisher;
    private final CancelledRuns cancellations;
    private final AudienceConfig config;

    public RunResolver(ResolutionLedger ledger, ProfileStreamPublisher publisher, CancelledRuns cancellations,
            AudienceConfig config) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.cancellations = cancellations;
        this.config = config;
    }

    public void resolve(String eventId, RunRequested run) throws Exception {
        long started = System.nanoTime();
        if (cancellations.isCancelled(run.runId())) {
            // An attempt interrupted before the cancellation may have left rows downstream: end the run there.
            publisher.sendCancelled(run.runId(), java.util.UUID.randomUUID());
            LOG.infof("run %s was cancelled; not resolving it", run.runId());
            return;
        }
        int slices = Math.max(1, Math.min(256, config.stream().slices()));
        if (slices > 1) {
            ledger.plan(eventId, run, slices);
            return;
        }
        Optional<ResolutionLedger.Attempt> attempt = ledger.begin(eventId, run);
        if (attempt.isEmpty()) {
            return; // already resolved, or refused (the ledger logged which)
        }
        LOG.infof("run %s attempt %s streaming", run.runId(), attempt.get().attemptId());
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

    /** Resolves one slice of a run that was split: the same steps as an unsliced run, restricted to the slice. */
    public void resolveSlice(String eventId, AudienceSliceRequested request) throws Exception {
        long started = System.nanoTime();
        RunRequested run = request.run();
        if (cancellations.isCancelled(request.runId())) {
            publisher.sendCancelled(request.runId(), java.util.UUID.randomUUID());
            LOG.infof("run %s was cancelled; not resolving slice %d", request.runId(), request.slice());
            return;
        }
        Optional<ResolutionLedger.Attempt> attempt = ledger.beginSlice(eventId, request);
        if (attempt.isEmpty()) {
            return;
        }
        ProfileStreamPublisher.Outcome outcome = publisher.stream(run, attempt.get());
        if (outcome.cancelled()) {
            LOG.infof("run %s slice %d cancelled while streaming", request.runId(), request.slice());
            return;
        }
        boolean recorded = ledger.completeSlice(eventId, request, attempt.get().attemptId(), outcome.matched(),
                outcome.streamed(), outcome.excluded());
        LOG.infof("run %s slice %d/%d attempt %s resolved%s: matched=%d streamed=%d in %d ms", request.runId(),
                request.slice(), request.slices(), attempt.get().attemptId(),
                recorded ? "" : " (another attempt was recorded first)", outcome.matched(), outcome.streamed(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
