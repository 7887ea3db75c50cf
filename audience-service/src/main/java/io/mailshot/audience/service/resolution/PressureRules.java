package io.mailshot.audience.service.resolution;

import io.mailshot.events.PressureRule;
import io.mailshot.kit.domain.DomainException.Violation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The checks every mail-pressure rule passes before it reaches SQL, for a run's spec and a pressure check alike. */
public final class PressureRules {

    /** The longest window: ten years of history is as far back as a rule may count. */
    public static final int MAX_DAYS = 3650;

    private static final Set<String> SCOPES =
            Set.of(PressureRule.PROFILE, PressureRule.HOUSEHOLD, PressureRule.CAMPAIGN);

    private PressureRules() {}

    /**
     * The first rule field that breaks a rule, named {@code <prefix>[i].<field>}; empty when every rule is usable.
     *
     * @param campaignId the campaign CAMPAIGN rules count over; a CAMPAIGN rule without one is refused
     */
    public static Optional<Violation> violation(String prefix, List<PressureRule> rules, UUID campaignId) {
        if (rules == null) {
            return Optional.empty();
        }
        for (int i = 0; i < rules.size(); i++) {
            String at = prefix + "[" + i + "]";
            PressureRule rule = rules.get(i);
            if (rule == null) {
                return Optional.of(new Violation(at, "required", at + " must be a rule, not null"));
            }
            if (rule.scope() == null || !SCOPES.contains(rule.scope())) {
                return Optional.of(
                        new Violation(at + ".scope", "enum", at + ".scope must be PROFILE, HOUSEHOLD or CAMPAIGN"));
            }
            if (rule.maxContacts() < 1) {
                return Optional.of(new Violation(at + ".maxContacts", "min", at + ".maxContacts must be at least 1"));
            }
            if (rule.days() < 1 || rule.days() > MAX_DAYS) {
                return Optional.of(new Violation(at + ".days", "range", at + ".days must be within 1 and " + MAX_DAYS));
            }
            if (PressureRule.CAMPAIGN.equals(rule.scope()) && campaignId == null) {
                return Optional.of(new Violation(
                        "campaignId", "required", "campaignId is required with a CAMPAIGN rule (" + at + ")"));
            }
        }
        return Optional.empty();
    }
}
