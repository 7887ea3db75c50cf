package io.mailshot.audience.service.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BulkTallyTest {

    private static final class Tally extends BulkTally {
        Tally(int maxErrors) {
            super(maxErrors);
        }
    }

    @Test
    void keepsTheFirstRefusalsByLineWhateverTheOrderTheyCameIn() {
        Tally tally = new Tally(3);
        // Lines 1-40 read; a batch refuses 30..40 first, then the lines it refuses as it is stored, 25 down to 5.
        for (long line = 1; line <= 40; line++) {
            tally.receive(line);
        }
        for (long line = 30; line <= 40; line++) {
            tally.reject(line, "late");
        }
        for (long line = 25; line >= 5; line -= 5) {
            tally.reject(line, "stored");
        }
        BulkOutcome outcome = tally.outcome();
        assertEquals(40, outcome.received());
        assertEquals(16, outcome.rejected());
        assertEquals(
                List.of(5L, 10L, 15L),
                outcome.errors().stream().map(BulkOutcome.RefusedLine::line).toList());
        assertEquals(40, tally.line());
    }

    @Test
    void fewerRefusalsThanTheCapAreAllKept() {
        Tally tally = new Tally(10);
        tally.receive(1);
        tally.receive(2);
        tally.reject(2, "two");
        tally.reject(new BulkOutcome.RefusedLine(1, 4, "Name", "one"));
        assertEquals(
                List.of(new BulkOutcome.RefusedLine(1, 4, "Name", "one"), new BulkOutcome.RefusedLine(2, "two")),
                tally.outcome().errors());
    }
}
