package io.mailshot.fuzz.plan.status.service;

/** A domain exception that carries an HTTP status: what the plan forbids. */
public class ThingRefused extends RuntimeException {
    private final int status;

    public ThingRefused(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
