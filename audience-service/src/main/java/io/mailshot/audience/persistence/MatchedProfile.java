package io.mailshot.audience.persistence;

/**
 * One profile matched by a run's filter, projected to the run's fields. Carries PII: never log it.
 *
 * @param reason the first database-side exclusion it hits: {@link #ELIGIBLE}, {@link #NO_CONSENT},
 *     {@link #NO_ADDRESS}, {@link #SUPPRESSED}, {@link #RETURNED} or {@link #PRESSURE}
 * @param dedupKey its dedup key; null when the run does not dedup or the profile has no key
 * @param householdKey its household key (null when it has none): recorded in the run's members for the contact history
 * @param values the run's fields in order, each the UTF-8 bytes PostgreSQL sent (null when missing): they go
 *     onto the profile stream as they are, never made into a String in between
 */
public record MatchedProfile(
        String namespace, String identity, int reason, String dedupKey, String householdKey, byte[][] values) {

    public static final int ELIGIBLE = 0;
    public static final int NO_CONSENT = 1;
    public static final int NO_ADDRESS = 2;
    public static final int SUPPRESSED = 3;
    public static final int RETURNED = 4;
    public static final int PRESSURE = 5;
}
