package io.mailshot.events.files;

import java.util.UUID;

/**
 * Where a run's files lie in the internal staging bucket: everything of run {@code R} under {@code runs/R/}, the
 * parts under their file names, the manifests under fixed names. The extraction-service writes and purges this
 * layout; the delivery-service reads the keys the {@code ExtractionCompleted} event names; the audience-service reads
 * the placements ({@link #contactsKey}) once the run is delivered.
 */
public final class StagingLayout {

    /** The key of the manifest JSON of a run, under the run's prefix. */
    public static final String MANIFEST_JSON = "manifest.json";
    /** The key of the CSV trigger file of a run, under the run's prefix. */
    public static final String MANIFEST_CSV = "manifest.csv";
    /**
     * The key of a run's placements ({@link ContactPlacements}): which file and part each profile row went to.
     * Staged for the audience-service's contact history, never delivered. In a folder, so that no part (a plain
     * file name) can ever share its key.
     */
    public static final String CONTACTS_CSV = "internal/contacts.csv";

    private StagingLayout() {}

    /** {@code runs/<runId>/}: every object of the run, and nothing else, starts with it. */
    public static String runPrefix(UUID runId) {
        return "runs/" + runId + "/";
    }

    /** The key of a part named {@code fileName} (a plain name, see {@link PathRules#checkFileName}). */
    public static String partKey(UUID runId, String fileName) {
        return runPrefix(runId) + fileName;
    }

    public static String manifestJsonKey(UUID runId) {
        return runPrefix(runId) + MANIFEST_JSON;
    }

    public static String manifestCsvKey(UUID runId) {
        return runPrefix(runId) + MANIFEST_CSV;
    }

    public static String contactsKey(UUID runId) {
        return runPrefix(runId) + CONTACTS_CSV;
    }
}
