package io.mailshot.fuzz.plan.good.service;

/** A domain type. */
public record Thing(String name) {}
