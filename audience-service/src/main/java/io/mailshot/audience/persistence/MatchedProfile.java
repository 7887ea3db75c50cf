package io.mailshot.audience.persistence;

import java.util.List;

/**
 * One profile matched by a run's filter, projected to the run's fields. Carries PII: never log it.
 *
 * @param reason the first database-side exclusion it hits: {@link #ELIGIBLE}, {@link #NO_CONSENT},
 *     {@link #NO_ADDRESS} or {@link #SUPPRESSED}
 * @param dedupKey its dedup key; null when the run does not dedup or the profile has no key
 */
public record MatchedProfile(String namespace, String identity, int reason, String dedupKey, List<String> values) {

    public static final int ELIGIBLE = 0;
    public static final int NO_CONSENT = 1;
    public static final int NO_ADDRESS = 2;
    public static final int SUPPRESSED = 3;
}
