package io.mailshot.extraction.service.file;

/**
 * One rendered row as it is spilled and written: its record's final bytes (as the part holds them), its sort-key
 * cells (only what ordering needs) with a primitive prefix of the first one that settles most comparisons
 * ({@link RunPlan#row}; 0 without keys), and its position in the stream (seed records have negative positions,
 * so they sort before profiles with equal keys).
 */
public record Row(long seq, long prefix, String[] keys, byte[] record) {}
