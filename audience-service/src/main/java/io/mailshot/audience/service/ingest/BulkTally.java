package io.mailshot.audience.service.ingest;

import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditEntry;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.audit.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The counts of one bulk request (profiles, suppression entries, returned mail, responses), the first refusals it
 * reports, and where its reader is in the body. Each import extends it with its pending batch; the readers
 * ({@link NdjsonBody}, {@link CsvBody}) count and refuse the lines that fail the checks every import makes.
 */
public abstract class BulkTally {

    private final int maxErrors;
    private final List<BulkOutcome.RefusedLine> errors = new ArrayList<>();
    private long line;
    protected long received;
    protected long accepted;
    protected long rejected;

    protected BulkTally(int maxErrors) {
        this.maxErrors = maxErrors;
    }

    /** Lines (or elements) read that were not empty. */
    public long received() {
        return received;
    }

    /** Items stored so far. */
    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return rejected;
    }

    /** The line (or element) being read: where a body that cannot be read any further stopped. */
    public long line() {
        return line;
    }

    /** The reader is at {@code line}, a line (or element) that is not empty. */
    public void receive(long line) {
        this.line = line;
        received++;
    }

    /** The reader is at {@code line}, an empty one (not counted). */
    void at(long line) {
        this.line = line;
    }

    public void reject(long line, String reason) {
        reject(new BulkOutcome.RefusedLine(line, reason));
    }

    public void reject(BulkOutcome.RefusedLine error) {
        rejected++;
        errors.add(error);
        // A batch refuses its lines when it is stored, after later lines were read: keep the first by line.
        if (errors.size() > 2 * maxErrors) {
            trim();
        }
    }

    private void trim() {
        errors.sort(Comparator.comparingLong(BulkOutcome.RefusedLine::line));
        errors.subList(Math.min(maxErrors, errors.size()), errors.size()).clear();
    }

    /** The outcome of the request: its first refusals by line. */
    protected BulkOutcome outcome() {
        trim();
        return new BulkOutcome(received, accepted, rejected, List.copyOf(errors));
    }

    /**
     * Runs a bulk request and records it in the audit trail in a transaction of its own (its batches commit one by
     * one): counts only, never an item (they are personal data). One that stopped part-way is FAILED with what was
     * stored by then; one refused before anything was read (a 4xx of the request itself) is left to the kit's record
     * of refusals.
     *
     * @param details the entry's own details, names and values, asked when the entry is written
     */
    public BulkOutcome audited(
            AuditTrail audit,
            Actor actor,
            String action,
            AuditEntry.Ref ref,
            Supplier<Object[]> details,
            Supplier<BulkOutcome> work) {
        BulkOutcome result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            if (!(received == 0 && BulkOutcome.refusedInput(e))) {
                try {
                    audit.recordAlone(
                            actor,
                            action,
                            ref,
                            Outcome.FAILED,
                            AuditTrail.details(counts(details.get(), "problem", BulkOutcome.problemCode(e))));
                } catch (RuntimeException unaudited) {
                    // The store failed for this entry too: the caller's answer says what happened.
                    e.addSuppressed(unaudited);
                }
            }
            throw e;
        }
        audit.recordAlone(actor, action, ref, Outcome.DONE, AuditTrail.details(counts(details.get())));
        return result;
    }

    private Object[] counts(Object[] details, Object... more) {
        Object[] all = Arrays.copyOf(details, details.length + 6 + more.length);
        Object[] counts = {"received", received, "accepted", accepted, "rejected", rejected};
        System.arraycopy(counts, 0, all, details.length, counts.length);
        System.arraycopy(more, 0, all, details.length + counts.length, more.length);
        return all;
    }
}
