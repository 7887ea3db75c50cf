package io.mailshot.kit.lifecycle;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * A daemon thread that polls the database for work: it runs {@code work} again at once while it reports
 * more, and otherwise waits until {@link #wake()} or {@code interval} has passed. Used where every replica
 * must poll (outbox relay, scheduler) and the scheduler's one-second minimum would be too coarse. Waking is
 * what this process knows of (e.g. a commit that wrote work); the interval covers what it cannot know
 * (work written by other replicas, or left by a crash).
 */
public final class PollingLoop {

    private static final Logger LOG = Logger.getLogger(PollingLoop.class);

    private final String name;
    private final Duration interval;
    private final BooleanSupplier work;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    /** {@code work} returns true when more may be waiting right now. */
    public PollingLoop(String name, Duration interval, BooleanSupplier work) {
        this.name = name;
        this.interval = interval;
        this.work = work;
    }

    public synchronized void start() {
        running = true;
        // A dedicated thread for the loop's lifetime: it waits on wake-ups (a commit) between polls, which neither
        // @Scheduled nor a pooled worker, which it would hold forever, can do.
        worker = new Thread(this::loop, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Runs {@code work} now if the loop is idle (otherwise right after the round in progress). */
    public void wake() {
        wakeUps.release();
    }

    /** Stops the loop and waits a little for a round in progress to finish. */
    public synchronized void stop() {
        running = false;
        wakeUps.release();
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running) {
            boolean more;
            try {
                more = work.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.warnf("%s will retry: %s", name, e.getMessage());
                more = false;
            }
            if (!more) {
                try {
                    wakeUps.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                // One round serves every wake-up that arrived meanwhile.
                wakeUps.drainPermits();
            }
        }
    }
}
