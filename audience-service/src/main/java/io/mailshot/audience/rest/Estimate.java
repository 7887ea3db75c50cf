package io.mailshot.audience.rest;

/** How many non-test profiles an audience matches right now. */
public record Estimate(long count) {}
