package io.mailshot.events;

/**
 * Profiles matched by the audience but left out of the file, by reason. Never silent.
 *
 * @param returned the profile's current address was reported as returned mail (undeliverable) and has not changed
 *     since; 0 from producers older than it
 * @param pressure stopped by a mail-pressure rule (too many mailings in the rule's window); 0 from producers older
 *     than it
 */
public record ExclusionCounts(
        long noConsent, long noAddress, long suppressed, long duplicate, long holdout, long returned, long pressure) {

    /** The reasons before returned mail and pressure existed. */
    public ExclusionCounts(long noConsent, long noAddress, long suppressed, long duplicate, long holdout) {
        this(noConsent, noAddress, suppressed, duplicate, holdout, 0, 0);
    }

    public static ExclusionCounts none() {
        return new ExclusionCounts(0, 0, 0, 0, 0, 0, 0);
    }

    public long total() {
        return noConsent + noAddress + suppressed + duplicate + holdout + returned + pressure;
    }
}
