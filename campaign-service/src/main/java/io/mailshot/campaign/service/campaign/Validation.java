package io.mailshot.campaign.service.campaign;

import java.util.List;

/** The outcome of checking a campaign before activation: errors block it, warnings advise. */
public record Validation(boolean valid, List<Finding> errors, List<Finding> warnings) {

    /** One finding: a stable code, the field it concerns and a plain message. */
    public record Finding(String code, String field, String message) {}
}
