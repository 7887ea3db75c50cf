package io.mailshot.audience.persistence;

import java.util.Locale;

/** How a run drops duplicate profiles; in every group the lowest (namespace, identity) wins. */
public enum DedupLevel {
    /** No dedup. */
    NONE,
    /** Same id in the run's identity namespace (trimmed, case-insensitive). */
    IDENTITY,
    /** Same normalised address. */
    ADDRESS,
    /** Same normalised address and last name. */
    HOUSEHOLD;

    /** Parses {@code RunSpec.dedup}; null means NONE; empty when the value is unknown. */
    public static java.util.Optional<DedupLevel> of(String text) {
        if (text == null || text.isBlank()) {
            return java.util.Optional.of(NONE);
        }
        try {
            return java.util.Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
