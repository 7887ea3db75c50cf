package io.mailshot.fuzz.plan.leaky.service;

import io.mailshot.fuzz.plan.leaky.rest.ThingView;

/** A service that answers with a web type: what the plan forbids. */
public class ThingService {
    public ThingView find(String name) {
        return new ThingView(name);
    }
}
