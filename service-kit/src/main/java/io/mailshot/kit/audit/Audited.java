package io.mailshot.kit.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that changes something: when a signed-in caller is refused by it (403: a missing role or
 * four eyes; 409: the state does not allow it; 422: a rule of the change), {@link AuditedRefusals} records the
 * refusal with outcome {@link Outcome#REFUSED}. The change itself, when made, is recorded by the service with
 * {@link AuditTrail#record} in its own transaction.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    /** The action, e.g. {@code campaign.approve}. */
    String action();

    /** The entity type, e.g. {@code campaign}. */
    String entity();

    /** The path parameter that holds the entity's id; none for a create. */
    String idParam() default "id";
}
