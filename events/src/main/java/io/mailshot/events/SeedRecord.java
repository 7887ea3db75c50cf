package io.mailshot.events;

import java.util.Map;

/**
 * A control record (a seed address) added to every file of a run. Never counted as a profile.
 *
 * @param values the value of each column, by column label; missing labels are empty
 */
public record SeedRecord(Map<String, String> values) {}
