package io.mailshot.audience.rest;

import io.mailshot.audience.service.erasure.Erasure;
import java.util.List;
import java.util.UUID;

/**
 * The answer of {@code DELETE /profiles/{namespace}/{id}}: what was done, never the identity.
 *
 * @param erasureId the erasure's id, as in the audit trail and the {@code ProfileErased} event
 * @param alreadyErased the identity had been erased before (this request only cleaned what came since, if anything)
 * @param profileDeleted whether a stored profile was deleted
 * @param historyRowsAnonymised contact-history rows whose identity, namespace and household key were removed
 * @param responsesDeleted responses deleted
 * @param runIds the runs whose staged exports may still hold the profile
 * @param purgeRequested whether the purge of those runs' staged exports was requested (extraction-service)
 */
public record ErasureView(
        UUID erasureId,
        boolean alreadyErased,
        boolean profileDeleted,
        long historyRowsAnonymised,
        long responsesDeleted,
        List<UUID> runIds,
        boolean purgeRequested) {

    static ErasureView of(Erasure e) {
        return new ErasureView(
                e.erasureId(),
                e.alreadyErased(),
                e.profileDeleted(),
                e.historyRowsAnonymised(),
                e.responsesDeleted(),
                e.runIds(),
                e.purgeRequested());
    }
}
