package io.mailshot.delivery.service.delivery;

import io.mailshot.events.StagedFile;
import java.util.List;

/**
 * The staged files of a run as a delivery records them (JSON in {@code delivery.staged}): parts, then the manifest
 * and the trigger file (null when none), and the run's folder under the routing's base folder (null: the base folder
 * itself). Rows written before the trigger and the folder existed read them as null.
 */
public record StagedSet(List<StagedFile> files, StagedFile manifest, StagedFile trigger, String folder) {}
