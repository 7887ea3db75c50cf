package io.mailshot.events;

/** One file staged in the internal bucket, with what a receiver needs to verify it. */
public record StagedFile(String name, String bucket, String key, long rows, long bytes, String sha256) {}
