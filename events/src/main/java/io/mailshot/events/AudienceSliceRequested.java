package io.mailshot.events;

import java.util.UUID;

/**
 * Internal to the audience-service: one slice of a run's resolution is to be streamed. The replica that
 * receives a {@link RunRequested} splits it into {@code slices} of these on {@link Topics#AUDIENCE_SLICES},
 * keyed {@code <runId>:<slice>} so the consumer group spreads them over its replicas.
 *
 * @param slice this slice, from 0 to {@code slices - 1}
 * @param run the request being resolved, as received
 */
public record AudienceSliceRequested(UUID runId, int slice, int slices, RunRequested run) {}
