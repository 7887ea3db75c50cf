package io.mailshot.kit.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each worker of the service (a consumer thread, a delivery worker) is doing and when it last moved, so
 * readiness can tell the truth: a worker stuck on one run, or failing over and over, is reported with the run,
 * the time and the last error. Workers call {@link Worker#busy}, {@link Worker#progressed} and
 * {@link Worker#idle} around their work; the calls are cheap enough for a per-batch path.
 */
@ApplicationScoped
public class WorkWatch {

    /** The worker busy on the current thread, for code deep in the work that does not know its worker. */
    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    /**
     * The work in hand on this thread moved forward (a batch streamed, a chunk uploaded): cheap enough to call per
     * chunk. Does nothing on a thread that is not a watched worker's.
     */
    public static void progressedHere() {
        Worker worker = CURRENT.get();
        if (worker != null) {
            worker.progressed();
        }
    }

    /** The worker of that name, registered on first use. */
    public Worker worker(String name) {
        return workers.computeIfAbsent(name, Worker::new);
    }

    /** Why the service is not ready: one line per worker stuck for longer than {@code stallAfter}. */
    public List<String> stalls(Duration stallAfter, Instant now) {
        List<String> stalls = new ArrayList<>();
        for (Worker worker : workers.values()) {
            worker.stall(stallAfter, now).ifPresent(stalls::add);
        }
        stalls.sort(null);
        return stalls;
    }

    /** One worker's state; written by its own thread, read by the health check. */
    public static final class Worker {

        private final String name;
        private volatile String item;
        private volatile long busySince;
        private volatile long lastProgress;
        private volatile long failingSince;
        private volatile String failingItem;
        private volatile String lastError;

        private Worker(String name) {
            this.name = name;
        }

        /** Starts work on {@code item} (a run id, a delivery). */
        public void busy(Object item) {
            long now = System.currentTimeMillis();
            this.item = String.valueOf(item);
            this.busySince = now;
            this.lastProgress = now;
            CURRENT.set(this);
        }

        /** The work in hand moved forward (rows written, a part uploaded). */
        public void progressed() {
            lastProgress = System.currentTimeMillis();
        }

        /** The work in hand is done, whatever its outcome for the run. */
        public void idle() {
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
            item = null;
            failingSince = 0;
            failingItem = null;
            lastError = null;
        }

        /**
         * The worker could not do its work and will try again (the database or the broker is away): it counts
         * as stuck if that lasts.
         */
        public void failing(Object item, String error) {
            if (failingSince == 0) {
                failingSince = System.currentTimeMillis();
            }
            this.failingItem = item == null ? null : String.valueOf(item);
            this.lastError = error;
            this.item = null;
        }

        Optional<String> stall(Duration after, Instant now) {
            long limit = now.toEpochMilli() - after.toMillis();
            String busyOn = item;
            if (busyOn != null && lastProgress < limit) {
                return Optional.of(name + " has made no progress on " + busyOn + " since "
                        + Instant.ofEpochMilli(lastProgress) + " (busy with it since " + Instant.ofEpochMilli(busySince)
                        + ")");
            }
            long failing = failingSince;
            if (failing != 0 && failing < limit) {
                String on = failingItem;
                return Optional.of(name + " has been failing since " + Instant.ofEpochMilli(failing)
                        + (on == null ? "" : " on " + on) + ": " + lastError);
            }
            return Optional.empty();
        }
    }
}
