package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/**
 * How many profiles of an audience a set of pressure rules would stop now: the body of the audience-service's
 * {@code POST /audiences/{id}/pressure-check}, which the campaign-service calls for {@code validate} and
 * {@code simulate}.
 *
 * @param campaignId the campaign the run would belong to (for {@code CAMPAIGN} rules)
 * @param rules the rules, in the order a run applies them
 */
public record PressureCheck(UUID campaignId, List<PressureRule> rules) {

    /**
     * The answer.
     *
     * @param eligible profiles that would reach the pressure step (matched, consented, with a usable address)
     * @param stopped of those, how many at least one rule stops
     * @param rules per rule, how many that rule alone would stop
     */
    public record Result(long eligible, long stopped, List<RuleCount> rules) {}

    /** What one rule alone would stop. */
    public record RuleCount(UUID ruleId, String name, long stopped) {}
}
