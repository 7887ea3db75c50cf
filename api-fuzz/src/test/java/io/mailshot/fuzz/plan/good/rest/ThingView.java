package io.mailshot.fuzz.plan.good.rest;

import io.mailshot.fuzz.plan.good.service.Thing;

/** A response, mapped from the domain. */
public record ThingView(String name) {
    public static ThingView of(Thing thing) {
        return new ThingView(thing.name());
    }
}
