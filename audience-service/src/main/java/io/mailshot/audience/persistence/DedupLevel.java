package io.mailshot.audience.persistence;

import java.util.Locale;
import java.util.Optional;

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
    public static Optional<DedupLevel> of(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(NONE);
        }
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
