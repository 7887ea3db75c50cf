package io.mailshot.events;

/** Profiles matched by the audience but left out of the file, by reason. Never silent. */
public record ExclusionCounts(long noConsent, long noAddress, long suppressed, long duplicate, long holdout) {

    public static ExclusionCounts none() {
        return new ExclusionCounts(0, 0, 0, 0, 0);
    }

    public long total() {
        return noConsent + noAddress + suppressed + duplicate + holdout;
    }
}
