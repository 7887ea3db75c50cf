package io.mailshot.fuzz.plan.odd.util;

/** A class in no role package: what the plan forbids. */
public final class Helper {
    private Helper() {}
}
