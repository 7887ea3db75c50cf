package io.mailshot.delivery.service.egress;

/**
 * A destination the egress policy refuses ({@code unresolvable} false) or whose name does not resolve (true). The
 * message names the host as the routing gives it and the class or list, never a resolved address of a name.
 */
public class EgressRefusedException extends Exception {

    private final boolean unresolvable;
    private final AddressClass addressClass;

    EgressRefusedException(String message, boolean unresolvable, AddressClass addressClass) {
        super(message);
        this.unresolvable = unresolvable;
        this.addressClass = addressClass;
    }

    /** True when the name did not resolve: that may pass (DNS down), a refusal does not. */
    public boolean unresolvable() {
        return unresolvable;
    }

    /** The refused address's class; null when unresolvable. */
    public AddressClass addressClass() {
        return addressClass;
    }
}
