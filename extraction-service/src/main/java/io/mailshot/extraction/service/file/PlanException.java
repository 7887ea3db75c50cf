package io.mailshot.extraction.service.file;

/** A run's file definition cannot be rendered; the message says why and never holds profile data. */
public final class PlanException extends Exception {

    public PlanException(String message) {
        super(message);
    }
}
