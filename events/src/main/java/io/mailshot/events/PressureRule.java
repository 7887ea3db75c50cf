package io.mailshot.events;

import java.util.UUID;

/**
 * A mail-pressure rule as a run applies it: a profile is stopped (exclusion reason {@code pressure}) when it already
 * has {@code maxContacts} or more recorded mailings (held-out contacts do not count) in the last {@code days} days,
 * counted over
 *
 * <ul>
 *   <li>{@code PROFILE}: the profile's own primary identity;
 *   <li>{@code HOUSEHOLD}: every profile of its household (same household key);
 *   <li>{@code CAMPAIGN}: the profile's own mailings of the run's campaign ("not again within D days": maxContacts
 *       1).
 * </ul>
 *
 * @param id the rule as the campaign-service stores it
 * @param name for reports
 * @param scope PROFILE, HOUSEHOLD or CAMPAIGN
 * @param maxContacts 1 or more
 * @param days the window, 1 or more, ending when the run is resolved
 */
public record PressureRule(UUID id, String name, String scope, int maxContacts, int days) {

    public static final String PROFILE = "PROFILE";
    public static final String HOUSEHOLD = "HOUSEHOLD";
    public static final String CAMPAIGN = "CAMPAIGN";
}
