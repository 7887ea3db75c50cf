package io.mailshot.audience.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailshot.audience.service.ingest.BulkOutcome;
import java.util.List;

/**
 * Outcome of a bulk profile ingestion.
 *
 * @param received non-empty lines read
 * @param accepted valid profiles upserted (a profile older than the stored one is accepted but changes nothing)
 * @param rejected lines refused, each with a reason that never repeats profile data
 * @param errors the first rejected lines (capped), by line number
 */
public record BulkResult(long received, long accepted, long rejected, List<LineError> errors) {

    static BulkResult of(BulkOutcome outcome) {
        return new BulkResult(
                outcome.received(),
                outcome.accepted(),
                outcome.rejected(),
                outcome.errors().stream().map(LineError::of).toList());
    }

    /**
     * One refused line; {@code line} counts every line of the body from 1, empty ones included. For a byte
     * sequence the body's charset does not allow (or a misplaced byte-order mark), {@code line} and {@code column}
     * (1-based, in characters) point at it, and for CSV {@code field} names its column's header; otherwise both are
     * left out.
     */
    public record LineError(
            long line,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer column,
            @JsonInclude(JsonInclude.Include.NON_NULL) String field,
            String reason) {

        static LineError of(BulkOutcome.RefusedLine refused) {
            return new LineError(refused.line(), refused.column(), refused.field(), refused.reason());
        }
    }
}
