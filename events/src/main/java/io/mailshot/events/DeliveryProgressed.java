package io.mailshot.events;

import java.util.UUID;

/**
 * How far one delivery attempt of a run has got, for progress bars. Advisory: published directly (not through
 * the outbox), so one may be lost or repeated; the outcome is in {@link DeliverySucceeded} or
 * {@link DeliveryFailed}. Sent at most about once a second per run and instance, and once more when the attempt
 * has written its last file. Re-sends of a delivered run send none. The figures are cumulative for the attempt:
 * a later attempt starts again from zero, and replaces the figures of the earlier one.
 *
 * @param attempt which attempt of the delivery this is, from 1
 * @param filesWritten files (parts, then the manifest and the trigger file) written to the destination so far
 * @param files how many files this delivery writes
 * @param bytesRead bytes of the staged files read and written on so far (before any encryption)
 * @param bytes the staged size of all of them: the attempt is done when {@code bytesRead} reaches it
 */
public record DeliveryProgressed(UUID runId, int attempt, int filesWritten, int files, long bytesRead, long bytes) {}
