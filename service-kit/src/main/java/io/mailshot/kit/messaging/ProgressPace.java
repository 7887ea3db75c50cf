package io.mailshot.kit.messaging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pace of a run's advisory progress events: at most one a second per run and instance, enough for a progress
 * bar and negligible on the broker, whatever the audience size. Safe to share between threads (a stage that counts on
 * several threads sends at most one event per interval; when two race, one wins).
 */
public final class ProgressPace {

    private static final long EVERY_NANOS = 1_000_000_000L;

    private final AtomicLong lastAt = new AtomicLong(System.nanoTime());

    /** Whether an event is due now; if so, the interval starts again from now. */
    public boolean due() {
        long now = System.nanoTime();
        long last = lastAt.get();
        return now - last >= EVERY_NANOS && lastAt.compareAndSet(last, now);
    }

    /** An event was sent regardless of the pace (a stage's final figures): the next interval starts now. */
    public void sent() {
        lastAt.set(System.nanoTime());
    }
}
