package io.mailshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bench's multiset digest: equal for the same rows in any order, different when one row differs. */
class RowDigestTest {

    @Test
    void sameRowsInAnyOrderAgreeAndAnyChangeOfOneRowIsSeen() {
        List<String> rows = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            rows.add("C" + random.nextInt(2_000) + "\u001f0" + random.nextInt(9_999) + "\u001fSaint-Étienne");
        }
        List<String> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, random);
        assertEquals(digest(rows), digest(shuffled));

        // One row twice and another missing: same count, different multiset.
        List<String> swapped = new ArrayList<>(rows);
        swapped.set(0, rows.get(1).equals(rows.get(0)) ? rows.get(2) : rows.get(1));
        assertNotEquals(digest(rows), digest(swapped));
        // One row lost.
        assertNotEquals(digest(rows), digest(rows.subList(1, rows.size())));
        // One field changed.
        List<String> changed = new ArrayList<>(rows);
        changed.set(42, rows.get(42) + " ");
        assertNotEquals(digest(rows), digest(changed));
    }

    private static Bench.RowDigest digest(List<String> rows) {
        Bench.RowDigest d = new Bench.RowDigest();
        rows.forEach(d::add);
        return d;
    }
}
