package io.mailshot.kit.messaging;

import io.mailshot.kit.health.WorkWatch;
import io.mailshot.kit.lifecycle.RetryPolicy;
import io.mailshot.kit.persistence.DatabaseProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * How a SmallRye consumer handles a record whose handling throws. A {@link MalformedEventException} goes to the
 * dead-letter topic at once. Otherwise, while the service's database (or a {@link Dependency} the consumer names)
 * does not answer, the record waits (the
 * whole service is stalled, readiness says so) and the wait costs it nothing; while the database answers, the
 * failure is the record's own, and after {@code poisonTries} tries it goes to the dead-letter topic with the last
 * error, so one poison record blocks its channel for a bounded time only.
 *
 * <p>Stages that can fail <i>one run</i> settle that inside their handlers (a retry later, then the run's failure
 * event); what reaches this guard is what could not be pinned on a run.
 */
@ApplicationScoped
public class ConsumerGuard {

    private static final Logger LOG = Logger.getLogger(ConsumerGuard.class);
    private static final Duration FIRST_WAIT = Duration.ofMillis(500);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    /** Tries of one record while the database answers, before it is dead-lettered. */
    private static final int POISON_TRIES = 5;

    /**
     * Something besides the database the work needs (a bucket, say): when the work fails and this does not answer
     * either, the failure is an outage, waited out like the database's, never the record's own.
     */
    @FunctionalInterface
    public interface Dependency {
        /** What is wrong with it, or empty when it answers. */
        Optional<String> problem();
    }

    /** The consumer's work on one record. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final DatabaseProbe database;
    private final WorkWatch watch;
    private final EventTracing tracing;

    public ConsumerGuard(DatabaseProbe database, WorkWatch watch, EventTracing tracing) {
        this.database = database;
        this.watch = watch;
        this.tracing = tracing;
    }

    /**
     * {@link #handle(String, Object, Work)} for a decoded event, in one consumer span that continues the event's
     * trace (see {@link EventTracing}): what the work publishes carries the same trace on.
     */
    public void handle(String consumer, IncomingEvent event, Object item, Work work) throws Exception {
        handle(consumer, event, item, Optional::empty, work);
    }

    /** The same, for work that also needs {@code dependency}. */
    public void handle(String consumer, IncomingEvent event, Object item, Dependency dependency, Work work)
            throws Exception {
        tracing.consume(consumer, event, () -> handle(consumer, item, dependency, work));
    }

    /**
     * Runs {@code work} for one record of {@code consumer} (about {@code item}, e.g. a run) until it succeeds,
     * waiting between tries; throws (dead-letter) when the record is malformed or keeps failing on its own.
     */
    public void handle(String consumer, Object item, Work work) throws Exception {
        handle(consumer, item, Optional::empty, work);
    }

    private void handle(String consumer, Object item, Dependency dependency, Work work) throws Exception {
        WorkWatch.Worker worker = watch.worker(consumer);
        int ownFailures = 0;
        for (int tries = 1; ; tries++) {
            worker.busy(item);
            try {
                work.run();
                worker.idle();
                return;
            } catch (MalformedEventException e) {
                worker.idle();
                throw e;
            } catch (Exception e) {
                String outage = !database.reachable()
                        ? "the database does not answer"
                        : dependency.problem().orElse(null);
                if (outage == null && ++ownFailures >= POISON_TRIES) {
                    worker.idle();
                    LOG.errorf(
                            "%s: giving up on %s after %d tries, dead-lettered: %s",
                            consumer, item, ownFailures, e.toString());
                    throw e;
                }
                worker.failing(item, e.toString());
                Duration wait = RetryPolicy.backoff(FIRST_WAIT, LONGEST_WAIT, tries);
                LOG.warnf(
                        "%s: %s on %s; trying again in %d ms: %s",
                        consumer, outage == null ? "handling failed" : outage, item, wait.toMillis(), e.toString());
                // No way out but success or a bounded number of own failures: a record given up during an outage
                // would be dead-lettered, and its run lost. A stopping JVM ends this thread with it. The wait stays
                // on this (worker, never event-loop) thread because a partition is handled in order: during an
                // outage nothing behind this record could be handled either, and a record failing on its own waits
                // at most a few short back-offs before it is dead-lettered and the partition moves on.
                Thread.sleep(wait.toMillis());
            }
        }
    }
}
