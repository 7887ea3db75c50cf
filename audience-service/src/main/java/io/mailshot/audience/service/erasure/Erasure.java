package io.mailshot.audience.service.erasure;

import java.util.List;
import java.util.UUID;

/**
 * What one erasure did.
 *
 * @param alreadyErased the identity had been erased before (this request only cleaned what came since, if anything)
 * @param runIds the runs whose staged exports may still hold the profile (from its history, before anonymising)
 * @param purgeRequested whether the purge of those runs' staged exports was requested
 */
public record Erasure(
        UUID erasureId,
        boolean alreadyErased,
        boolean profileDeleted,
        long historyRowsAnonymised,
        long responsesDeleted,
        List<UUID> runIds,
        boolean purgeRequested) {}
