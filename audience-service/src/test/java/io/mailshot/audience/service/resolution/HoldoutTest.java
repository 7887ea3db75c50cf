package io.mailshot.audience.service.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HoldoutTest {

    private static List<Integer> sample(UUID run, int percent) {
        Holdout h = new Holdout(run, percent);
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            if (h.heldOut("crmId", "C" + i)) {
                held.add(i);
            }
        }
        return held;
    }

    @Test
    void deterministicPerRunAndNearThePercentage() {
        UUID run = UUID.fromString("6f1e0d9a-3b7e-4c55-9d4c-1a2b3c4d5e6f");
        List<Integer> a = sample(run, 10);
        assertEquals(a, sample(run, 10));
        // 10 % of 10,000 with a generous binomial margin (sd ≈ 30).
        assertTrue(a.size() > 850 && a.size() < 1150, "held out " + a.size());
        assertNotEquals(a, sample(UUID.fromString("00000000-0000-4000-8000-000000000001"), 10));
        // A larger percentage holds out a superset: the buckets are nested.
        assertTrue(sample(run, 20).containsAll(a));
        assertTrue(sample(run, 0).isEmpty());
        assertFalse(new Holdout(run, 0).heldOut("crmId", "C1"));
        assertThrows(IllegalArgumentException.class, () -> new Holdout(run, 51));
        assertThrows(IllegalArgumentException.class, () -> new Holdout(run, -1));
    }
}
