package io.mailshot.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A profile was erased at the person's request (audience-service, topic {@link Topics#ERASURES}, keyed by erasure
 * id). Never carries the identity: only the runs whose staged exports may still hold the profile's row, so that the
 * extraction-service can purge them when {@code purgeExports} is true.
 *
 * @param runIds the runs the profile's contact history named (before it was anonymised); may be empty
 * @param purgeExports whether the person's erasure asked for those runs' staged exports to be purged
 */
public record ProfileErased(UUID erasureId, List<UUID> runIds, boolean purgeExports, Instant erasedAt) {}
