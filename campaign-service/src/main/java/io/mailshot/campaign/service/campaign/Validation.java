package io.mailshot.campaign.service.campaign;

import io.mailshot.campaign.service.cost.CostEstimate;
import io.mailshot.events.PressureCheck;
import java.util.List;

/**
 * The outcome of checking a campaign before activation: errors block it, warnings advise. {@code cost} is the
 * estimated cost of a run (null when the configuration has no pricing or the audience could not be counted);
 * {@code pressure} what the mail-pressure rules would stop now (null without rules, or when the audience-service could
 * not tell).
 */
public record Validation(
        boolean valid, List<Finding> errors, List<Finding> warnings, CostEstimate cost, PressureCheck.Result pressure) {

    /** One finding: a stable code, the field it concerns and a plain message. */
    public record Finding(String code, String field, String message) {}
}
