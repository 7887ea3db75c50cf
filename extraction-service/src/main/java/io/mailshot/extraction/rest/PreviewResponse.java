package io.mailshot.extraction.rest;

import java.util.List;

/**
 * The first lines of the first part exactly as the file would hold them, decoded in the file's encoding.
 *
 * @param fileName the first part's name (null when the definition is invalid or the file would not exist)
 * @param lines the file's lines without their line endings (a quoted value with a line break spans lines)
 * @param errors why the definition is invalid, rows that would be rejected, or values that would fail the run
 */
public record PreviewResponse(String fileName, List<String> lines, List<String> errors) {}
