package io.mailshot.kit.audit;

/** How an audited change ended. */
public enum Outcome {
    /** The change was made (written in the same transaction as the change). */
    DONE,
    /** A signed-in caller was refused (a role, four eyes, a rule of the change): nothing changed. */
    REFUSED,
    /** The change was attempted and failed part-way (e.g. a streamed ingestion whose store went away). */
    FAILED
}
