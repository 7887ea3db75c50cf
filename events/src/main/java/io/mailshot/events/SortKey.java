package io.mailshot.events;

/** One sort key: a column label and ASC (default) or DESC. Sorting is stable on equal keys. */
public record SortKey(String column, String direction) {}
