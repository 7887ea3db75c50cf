package io.mailshot.kit.lifecycle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a stage tries one run's work before the run FAILS with its reason: a bounded number of tries,
 * separated by an exponential back-off with jitter. While a run waits for its next try, every other run keeps
 * flowing; nothing sleeps on a consumer thread.
 */
@ConfigMapping(prefix = "mailshot.retry")
public interface RetryPolicy {

    /** Tries of one run's work at one stage, the first included, before the run fails. */
    @WithDefault("5")
    int maxTries();

    /** Wait before the second try; doubled for each further try. */
    @WithDefault("2s")
    Duration initialBackoff();

    /** Upper bound of the wait between two tries. */
    @WithDefault("1m")
    Duration maxBackoff();

    /** Whether a run that has had {@code tries} tries may have another. */
    default boolean mayRetry(int tries) {
        return tries < maxTries();
    }

    /** The wait after the {@code tries}-th failed try: initial × 2^(tries-1), capped, with jitter in [½, 1]. */
    default Duration backoff(int tries) {
        return backoff(initialBackoff(), maxBackoff(), tries);
    }

    /** Exponential back-off with jitter between half and all of it, so replicas that failed together spread. */
    static Duration backoff(Duration initial, Duration max, int tries) {
        long cap = Math.max(1, max.toMillis());
        long exp = Math.max(1, initial.toMillis()) << Math.min(Math.max(tries - 1, 0), 30);
        long bounded = Math.max(1, Math.min(cap, exp));
        return Duration.ofMillis(bounded / 2 + ThreadLocalRandom.current().nextLong(bounded / 2 + 1));
    }
}
