package io.mailshot.audience.persistence;

import io.mailshot.events.PressureRule;
import java.util.List;
import java.util.UUID;

/**
 * The exclusions resolution computes in the database, before holdout.
 *
 * @param dedup the dedup level
 * @param identityNamespace the namespace IDENTITY dedup compares; null means the primary identity
 * @param suppressionListIds lists whose entries are excluded; empty for none
 * @param pressureRules mail-pressure rules (already checked); empty for none
 * @param campaignId the run's campaign, which CAMPAIGN rules count over
 */
public record Exclusions(
        DedupLevel dedup,
        String identityNamespace,
        List<UUID> suppressionListIds,
        List<PressureRule> pressureRules,
        UUID campaignId) {

    public Exclusions {
        suppressionListIds = List.copyOf(suppressionListIds);
        pressureRules = List.copyOf(pressureRules);
    }

    /** No pressure rules. */
    public Exclusions(DedupLevel dedup, String identityNamespace, List<UUID> suppressionListIds) {
        this(dedup, identityNamespace, suppressionListIds, List.of(), null);
    }

    public static Exclusions none() {
        return new Exclusions(DedupLevel.NONE, null, List.of());
    }
}
