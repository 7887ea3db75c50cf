package io.mailshot.campaign.service.run;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A stage's rate and time left, from the figures one reader observed over a recent window. Not thread-safe: one per
 * stream. The rate is measured up to now, so a stalled stage's rate falls and its time left grows; there is no rate
 * (so no time left) until the figures have moved over at least {@link #MIN_SPAN}, and no time left without a total.
 * A figure lower than the last one (a restarted attempt) or another stage starts the measure again.
 */
public final class ProgressRate {

    /** Shorter than this, a rate is noise: one advisory event a second makes two points a second apart. */
    static final Duration MIN_SPAN = Duration.ofSeconds(1);

    /** The rate and time left; each null when it cannot be estimated. */
    public record Estimate(Double perSecond, Long secondsLeft) {
        static final Estimate UNKNOWN = new Estimate(null, null);
    }

    private final long windowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanoTime, done}, oldest first
    private String stage;

    public ProgressRate(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Records {@code done} of {@code total} for {@code stage} as seen at {@code nanoTime}, and estimates. */
    public Estimate observe(String stage, long done, Long total, long nanoTime) {
        if (!Objects.equals(stage, this.stage) || (!samples.isEmpty() && done < samples.peekLast()[1])) {
            samples.clear();
            this.stage = stage;
        }
        if (samples.isEmpty() || done != samples.peekLast()[1]) {
            samples.addLast(new long[] {nanoTime, done});
        }
        // Keep the newest point that is older than the window, as the window's start.
        while (samples.size() > 1 && nanoTime - secondOldest()[0] >= windowNanos) {
            samples.removeFirst();
        }
        if (total != null && done >= total) {
            return new Estimate(rate(done, nanoTime), 0L);
        }
        Double rate = rate(done, nanoTime);
        if (rate == null || rate <= 0 || total == null) {
            return new Estimate(rate, null);
        }
        return new Estimate(rate, (long) Math.ceil((total - done) / rate));
    }

    private long[] secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    private Double rate(long done, long nanoTime) {
        long[] first = samples.peekFirst();
        long span = nanoTime - first[0];
        if (samples.size() < 2) {
            // Not moved since the stream began watching: stalled once that lasted a whole window.
            return span >= windowNanos ? 0.0 : null;
        }
        if (span < MIN_SPAN.toNanos()) {
            return null;
        }
        return (done - first[1]) * 1e9 / span;
    }
}
