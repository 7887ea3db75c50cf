package io.mailshot.extraction.service.file;

/**
 * One rendered row: its cells as they will be written, and its position in the stream (seed records have
 * negative positions, so they sort before profiles with equal keys).
 */
public record Row(long seq, String[] cells) {
}
