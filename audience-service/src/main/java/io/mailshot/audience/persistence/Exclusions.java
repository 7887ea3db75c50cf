package io.mailshot.audience.persistence;

import java.util.List;
import java.util.UUID;

/**
 * The exclusions resolution computes in the database, before holdout.
 *
 * @param dedup the dedup level
 * @param identityNamespace the namespace IDENTITY dedup compares; null means the primary identity
 * @param suppressionListIds lists whose entries are excluded; empty for none
 */
public record Exclusions(DedupLevel dedup, String identityNamespace, List<UUID> suppressionListIds) {

    public Exclusions {
        suppressionListIds = List.copyOf(suppressionListIds);
    }

    public static Exclusions none() {
        return new Exclusions(DedupLevel.NONE, null, List.of());
    }
}
