package io.mailshot.extraction.service.file;

import java.io.IOException;

/** Two of a run's files would share a name, or one would not be a plain file name: the run cannot be staged. */
public final class PartNameException extends IOException {

    public PartNameException(String message) {
        super(message);
    }
}
