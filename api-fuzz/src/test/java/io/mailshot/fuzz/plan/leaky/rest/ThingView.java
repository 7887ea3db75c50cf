package io.mailshot.fuzz.plan.leaky.rest;

/** A response. */
public record ThingView(String name) {}
