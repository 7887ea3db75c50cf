package io.mailshot.kit.security;

import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Problem;
import io.quarkus.security.ForbiddenException;
import java.util.List;

/**
 * A signed-in caller with the right role refused by a rule about who they are (four-eyes: an approver who wrote the
 * campaign): a 403 problem with the rule's own code.
 */
public class AccessRefusedException extends ForbiddenException {

    private final String rule;

    public AccessRefusedException(String rule, String detail) {
        super(detail);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }

    /** The problem it is answered with. */
    public ApiException refusal() {
        return new ApiException(
                403, rule, "Forbidden", getMessage(), List.of(new Problem.FieldError("actor", rule, getMessage())));
    }
}
