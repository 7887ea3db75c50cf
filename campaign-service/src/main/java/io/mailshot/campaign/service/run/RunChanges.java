package io.mailshot.campaign.service.run;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the run event streams that some run changed in this process, so they look again at once instead of on
 * their timer, without a thread waiting for it. Changes committed by another replica are not seen here: the
 * streams still look again after a bounded time.
 */
@ApplicationScoped
public class RunChanges {

    private final BroadcastProcessor<Long> changes = BroadcastProcessor.create();
    private long version;

    /** Called after a change to a run has committed. */
    public synchronized void changed() {
        version++;
        changes.onNext(version); // serialised by the lock, as a processor's signals must be
    }

    /**
     * Every change from now on (hot, no replay). A subscriber must take items as they come (request without
     * bound, e.g. behind an overflow strategy); it only learns that something changed, and reads what.
     */
    public Multi<Long> stream() {
        return changes;
    }
}
