package io.mailshot.audience.service.resolution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.messaging.ProfileStreamPublisher;
import io.mailshot.events.AudienceSliceRequested;
import io.mailshot.events.RunRequested;
import io.mailshot.kit.lifecycle.FailureReason;
import io.mailshot.kit.lifecycle.RetryPolicy;
import io.mailshot.kit.metrics.Metrics;
import io.mailshot.kit.persistence.CancelledRuns;
import io.mailshot.kit.persistence.DatabaseProbe;
import io.mailshot.kit.persistence.DeferredWork;
import io.mailshot.kit.persistence.RunTries;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Resolves one run: opens an attempt (transaction A), streams it, then records it (transaction B). A crash
 * in between leaves the run unresolved, so the redelivered request streams a fresh attempt.
 *
 * <p>With {@code mailshot.audience.stream.slices} above 1, the replica that receives the run only splits it
 * into slice requests; each slice is then resolved the same way (A, stream, B) by whichever replica of the
 * group receives it, and the last slice recorded records the run.
 *
 * <p><b>One run's failure is that run's alone.</b> Every try of a run (or slice) is counted in the database
 * ({@link RunTries}, crashes included). A try that fails while the database answers is the run's fault: the
 * request is acknowledged and a retry is {@link DeferredWork deferred} for its back-off, so the consumer goes on
 * with the next run; once its tries are spent the run is abandoned on the profile stream and FAILS with its
 * reason. A failure while the database does not answer is an outage, left to the consumer to wait out.
 */
@ApplicationScoped
public class RunResolver {

    private static final Logger LOG = Logger.getLogger(RunResolver.class);
    /** This stage's name in the try log; a slice's is {@code audience.slice-<n>}. */
    static final String STAGE = "audience";
    /** The kind of deferred work that tries a run (or slice) again. */
    static final String RETRY = "audience.retry";

    private final ResolutionLedger ledger;
    private final ProfileStreamPublisher publisher;
    private final CancelledRuns cancellations;
    private final AudienceConfig config;
    private final RunTries tries;
    private final RetryPolicy retry;
    private final DeferredWork deferred;
    private final DatabaseProbe database;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public RunResolver(
            ResolutionLedger ledger,
            ProfileStreamPublisher publisher,
            CancelledRuns cancellations,
            AudienceConfig config,
            RunTries tries,
            RetryPolicy retry,
            DeferredWork deferred,
            DatabaseProbe database,
            ObjectMapper json,
            MeterRegistry registry) {
        this.registry = registry;
        this.ledger = ledger;
        this.publisher = publisher;
        this.cancellations = cancellations;
        this.config = config;
        this.tries = tries;
        this.retry = retry;
        this.deferred = deferred;
        this.database = database;
        this.json = json;
    }

    void start(@Observes StartupEvent started) {
        deferred.register(RETRY, (runId, payload) -> {
            Retry again = json.readValue(payload, Retry.class);
            if (again.slice() != null) {
                resolveSlice(again.eventId(), again.slice());
            } else {
                resolve(again.eventId(), again.run());
            }
        });
    }

    /** What a deferred retry needs: the request it tries again, a whole run or one slice. */
    record Retry(String eventId, RunRequested run, AudienceSliceRequested slice) {}

    /** A try of work that may fail. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    public void resolve(String eventId, RunRequested run) throws Exception {
        if (cancellations.isCancelled(run.runId())) {
            // An attempt interrupted before the cancellation may have left rows downstream: end the run there.
            publisher.sendCancelled(run.runId(), UUID.randomUUID());
            LOG.infof("run %s was cancelled; not resolving it", run.runId());
            return;
        }
        int slices = Math.max(1, Math.min(256, config.stream().slices()));
        Retry again = new Retry(eventId, run, null);
        if (slices > 1) {
            tryOnce(STAGE, run.runId(), again, () -> ledger.plan(eventId, run, slices));
            return;
        }
        tryOnce(STAGE, run.runId(), again, () -> stream(eventId, run));
    }

    private void stream(String eventId, RunRequested run) throws Exception {
        long started = System.nanoTime();
        Optional<ResolutionLedger.Attempt> attempt = ledger.begin(eventId, run);
        if (attempt.isEmpty()) {
            return; // already resolved, or refused (the ledger logged which)
        }
        LOG.infof("run %s attempt %s streaming", run.runId(), attempt.get().attemptId());
        ProfileStreamPublisher.Outcome outcome = publisher.stream(run, attempt.get());
        if (outcome.cancelled()) {
            ended(started, "cancelled");
            LOG.infof(
                    "run %s attempt %s cancelled while streaming; the stream ends with its cancellation",
                    run.runId(), attempt.get().attemptId());
            return;
        }
        boolean recorded = ledger.complete(
                eventId, run, attempt.get().attemptId(), outcome.matched(), outcome.streamed(), outcome.excluded());
        if (recorded) {
            ended(started, "completed");
        }
        LOG.infof(
                "run %s attempt %s resolved%s: matched=%d streamed=%d excluded=%s in %d ms",
                run.runId(),
                attempt.get().attemptId(),
                recorded ? "" : " (another attempt was recorded first)",
                outcome.matched(),
                outcome.streamed(),
                outcome.excluded(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Records an unsliced run's resolution time, from its attempt's start to its end here. A run resolved in slices
     * is timed by the replica whose slice lands last, from the split (see {@link #resolveSlice}).
     */
    private void ended(long started, String outcome) {
        Metrics.stageEnded(registry, Metrics.STAGE_RESOLUTION, outcome, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Resolves one slice of a run that was split: the same steps as an unsliced run, restricted to the slice. */
    public void resolveSlice(String eventId, AudienceSliceRequested request) throws Exception {
        if (cancellations.isCancelled(request.runId())) {
            publisher.sendCancelled(request.runId(), UUID.randomUUID());
            LOG.infof("run %s was cancelled; not resolving slice %d", request.runId(), request.slice());
            return;
        }
        tryOnce(
                STAGE + ".slice-" + request.slice(),
                request.runId(),
                new Retry(eventId, null, request),
                () -> streamSlice(eventId, request));
    }

    private void streamSlice(String eventId, AudienceSliceRequested request) throws Exception {
        long started = System.nanoTime();
        RunRequested run = request.run();
        Optional<ResolutionLedger.Attempt> attempt = ledger.beginSlice(eventId, request);
        if (attempt.isEmpty()) {
            return;
        }
        ProfileStreamPublisher.Outcome outcome = publisher.stream(run, attempt.get());
        if (outcome.cancelled()) {
            LOG.infof("run %s slice %d cancelled while streaming", request.runId(), request.slice());
            return;
        }
        ResolutionLedger.SliceCompletion completion = ledger.completeSlice(
                eventId, request, attempt.get().attemptId(), outcome.matched(), outcome.streamed(), outcome.excluded());
        boolean recorded = completion.first();
        // The replica that lands the last slice times the whole stage, from the split the database recorded.
        completion
                .runResolvedIn()
                .ifPresent(took -> Metrics.stageEnded(registry, Metrics.STAGE_RESOLUTION, "completed", took));
        LOG.infof(
                "run %s slice %d/%d attempt %s resolved%s: matched=%d streamed=%d in %d ms",
                request.runId(),
                request.slice(),
                request.slices(),
                attempt.get().attemptId(),
                recorded ? "" : " (another attempt was recorded first)",
                outcome.matched(),
                outcome.streamed(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * One counted try of a run's work: on its own failure the run is retried later or, its tries spent, given
     * up; an outage is thrown to the caller, which waits it out.
     */
    private void tryOnce(String stage, UUID runId, Retry again, Work work) throws Exception {
        int tried = tries.begin(stage, runId);
        if (tried > retry.maxTries()) {
            // Every start is a try: a run whose work keeps killing the process ends here, not in a crash loop.
            giveUp(
                    runId,
                    "gave up after " + (tried - 1) + " tries: "
                            + tries.lastError(stage, runId).orElse("the service stopped while resolving it"));
            return;
        }
        try {
            work.run();
        } catch (Exception e) {
            if (!database.reachable()) {
                throw e;
            }
            String reason = FailureReason.of(e);
            tries.failed(stage, runId, reason);
            if (!retry.mayRetry(tried)) {
                LOG.warnf(e, "run %s: try %d of %d failed; giving up: %s", runId, tried, retry.maxTries(), reason);
                giveUp(runId, "gave up after " + tried + " tries: " + reason);
                return;
            }
            Duration wait = retry.backoff(tried);
            deferred.defer(
                    RETRY, runId, json.writeValueAsString(again), Instant.now().plus(wait));
            LOG.warnf(
                    e,
                    "run %s: try %d of %d failed, next try in %d ms: %s",
                    runId,
                    tried,
                    retry.maxTries(),
                    wait.toMillis(),
                    reason);
        }
    }

    /** Ends the run on the profile stream (downstream lets go of it), then records and announces its failure. */
    private void giveUp(UUID runId, String reason) throws Exception {
        if (ledger.isResolved(runId)) {
            return;
        }
        publisher.sendAbandoned(runId, reason);
        ledger.gaveUp(runId, reason);
    }
}
