package io.mailshot.audience.service.ingest;

import io.mailshot.kit.domain.DomainException;
import java.util.List;

/**
 * Outcome of a bulk ingestion (profiles or suppression entries).
 *
 * @param received non-empty lines (or elements) read
 * @param accepted valid items stored (a profile older than the stored one is accepted but changes nothing)
 * @param rejected items refused, each with a reason that never repeats their data
 * @param errors the first refused items (capped), by line number
 */
public record BulkOutcome(long received, long accepted, long rejected, List<RefusedLine> errors) {

    /**
     * One refused line; {@code line} counts every line of the body from 1, empty ones included. {@code column}
     * (1-based, in characters) and, for CSV, {@code field} point at a byte sequence the charset does not allow
     * (or a misplaced byte-order mark); otherwise both are null.
     */
    public record RefusedLine(long line, Integer column, String field, String reason) {

        public RefusedLine(long line, String reason) {
            this(line, null, null, reason);
        }
    }

    /** Whether a bulk request ended because its input was refused (not because the store failed). */
    public static boolean refusedInput(RuntimeException e) {
        return e instanceof DomainException refusal && refusal.kind() != DomainException.Kind.UNAVAILABLE;
    }

    /** The problem code a bulk request ended with, for its audit entry. */
    public static String problemCode(RuntimeException e) {
        return e instanceof DomainException refusal ? refusal.code() : "error";
    }
}
