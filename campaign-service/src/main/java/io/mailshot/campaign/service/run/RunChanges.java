package io.mailshot.campaign.service.run;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Tells waiting readers (the run event streams) that some run changed in this process, so they look again
 * at once instead of on a timer. Changes committed by another replica are not seen here: readers still
 * look again after a bounded wait.
 */
@ApplicationScoped
public class RunChanges {

    private long version;

    /** Called after a change to a run has committed. */
    public synchronized void changed() {
        version++;
        notifyAll();
    }

    /** The current version, to pass to {@link #awaitAfter} once the reader has looked. */
    public synchronized long version() {
        return version;
    }

    /** Waits until a change after {@code seen}, or at most {@code timeout}. */
    public synchronized void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (version == seen && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
