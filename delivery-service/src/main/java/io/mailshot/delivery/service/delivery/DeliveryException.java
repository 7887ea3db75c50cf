package io.mailshot.delivery.service.delivery;

/**
 * A failed delivery attempt with a plain-words reason (never a secret). Permanent failures (refused
 * credentials, host key mismatch, missing bucket) are not retried.
 */
public class DeliveryException extends Exception {

    private final boolean permanent;

    public DeliveryException(String reason, boolean permanent) {
        super(reason);
        this.permanent = permanent;
    }

    public static DeliveryException permanent(String reason) {
        return new DeliveryException(reason, true);
    }

    public static DeliveryException transientFailure(String reason) {
        return new DeliveryException(reason, false);
    }

    public boolean permanent() {
        return permanent;
    }
}
