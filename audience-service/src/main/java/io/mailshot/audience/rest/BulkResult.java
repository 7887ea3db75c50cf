package io.mailshot.audience.rest;

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

    /** One refused line; {@code line} counts every line of the body from 1, empty ones included. */
    public record LineError(long line, String reason) {
    }
}
