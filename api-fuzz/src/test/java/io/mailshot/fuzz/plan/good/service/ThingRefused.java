package io.mailshot.fuzz.plan.good.service;

/** A domain refusal that names its rule. */
public class ThingRefused extends RuntimeException {
    private final String rule;

    public ThingRefused(String rule) {
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
