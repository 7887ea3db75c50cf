package io.mailshot.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailshot.campaign.service.run.ProgressRate;
import io.mailshot.campaign.service.run.ProgressRate.Estimate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rate and time left a run's event stream sends: measured, or null; never made up. */
class ProgressRateTest {

    private static final long S = 1_000_000_000L;

    private final ProgressRate rate = new ProgressRate(Duration.ofSeconds(10));

    @Test
    void noRateFromOneLookNorFromLessThanASecond() {
        assertEquals(new Estimate(null, null), rate.observe("EXTRACTING", 0, 1000L, 0));
        assertEquals(new Estimate(null, null), rate.observe("EXTRACTING", 100, 1000L, S / 2));
    }

    @Test
    void rateOverTheWindowAndTimeLeftFromTheTotal() {
        rate.observe("EXTRACTING", 0, 1000L, 0);
        rate.observe("EXTRACTING", 100, 1000L, S);
        Estimate e = rate.observe("EXTRACTING", 200, 1000L, 2 * S);
        assertEquals(100.0, e.perSecond(), 1e-9);
        assertEquals(8L, e.secondsLeft());
    }

    @Test
    void withoutATotalThereIsARateButNoTimeLeft() {
        rate.observe("RESOLVING", 0, null, 0);
        Estimate e = rate.observe("RESOLVING", 500, null, 2 * S);
        assertEquals(250.0, e.perSecond(), 1e-9);
        assertNull(e.secondsLeft());
    }

    @Test
    void aStallLowersTheRateUntilItIsZeroAndTheTimeLeftUnknown() {
        rate.observe("EXTRACTING", 0, 1000L, 0);
        rate.observe("EXTRACTING", 100, 1000L, S);
        Estimate slower = rate.observe("EXTRACTING", 100, 1000L, 4 * S);
        assertEquals(25.0, slower.perSecond(), 1e-9);
        assertEquals(36L, slower.secondsLeft());
        Estimate stalled = rate.observe("EXTRACTING", 100, 1000L, 20 * S);
        assertEquals(0.0, stalled.perSecond(), 1e-9);
        assertNull(stalled.secondsLeft());
    }

    @Test
    void onlyTheRecentWindowCounts() {
        rate.observe("EXTRACTING", 0, 10_000L, 0);
        rate.observe("EXTRACTING", 1000, 10_000L, S); // fast at first
        for (int s = 2; s <= 30; s++) {
            rate.observe("EXTRACTING", 1000 + (s - 1) * 10L, 10_000L, s * S); // then 10 a second
        }
        Estimate e = rate.observe("EXTRACTING", 1300, 10_000L, 31 * S);
        assertEquals(10.0, e.perSecond(), 1e-9);
        assertEquals(870L, e.secondsLeft());
    }

    @Test
    void aRestartOrTheNextStageStartsTheMeasureAgain() {
        rate.observe("EXTRACTING", 0, 1000L, 0);
        rate.observe("EXTRACTING", 500, 1000L, 2 * S);
        assertEquals(new Estimate(null, null), rate.observe("EXTRACTING", 10, 1000L, 3 * S));
        assertEquals(new Estimate(null, null), rate.observe("DELIVERING", 10, 5000L, 4 * S));
        Estimate e = rate.observe("DELIVERING", 1010, 5000L, 6 * S);
        assertEquals(500.0, e.perSecond(), 1e-9);
        assertEquals(8L, e.secondsLeft());
    }

    @Test
    void doneIsNoTimeLeft() {
        rate.observe("DELIVERING", 0, 100L, 0);
        assertEquals(0L, rate.observe("DELIVERING", 100, 100L, 2 * S).secondsLeft());
    }
}
