package io.mailshot.events;

/** A file as published at the destination. */
public record DeliveredFile(String name, String location, long bytes, String sha256) {}
