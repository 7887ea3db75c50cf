package io.mailshot.campaign.service;

import io.mailshot.events.Actor;

/** Who did something, read back from the subject and name columns an entity stores. */
public final class Actors {

    private Actors() {}

    /** Null where nobody did it yet (or, for what was done before sign-in existed, where nobody can be named). */
    public static Actor of(String subject, String name) {
        return subject == null ? null : new Actor(subject, name);
    }
}
