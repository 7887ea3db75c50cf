package io.mailshot.audience.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
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

    /**
     * One refused line; {@code line} counts every line of the body from 1, empty ones included. For a byte
     * sequence the body's charset does not allow (or a misplaced byte-order mark), {@code line} and {@code column}
     * (1-based, in characters) point at it, and for CSV {@code field} names its column's header; otherwise both are
     * left out.
     */
    public record LineError(long line, @JsonInclude(JsonInclude.Include.NON_NULL) Integer column,
            @JsonInclude(JsonInclude.Include.NON_NULL) String field, String reason) {

        public LineError(long line, String reason) {
            this(line, null, null, reason);
        }
    }
}
