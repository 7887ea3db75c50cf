package io.mailshot.delivery.service;

import io.mailshot.events.StagedFile;
import java.util.List;

/** The staged files of a run as a delivery records them (JSON in {@code delivery.staged}): parts, then manifest. */
public record StagedSet(List<StagedFile> files, StagedFile manifest) {
}
