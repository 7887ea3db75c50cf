package io.mailshot.kit.messaging;

/** An incoming record that does not follow the event contract. It goes to the dead-letter topic. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
