package io.mailshot.events;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The responses of a delivered run's mailed and held-out customers within a window after delivery: the answer of
 * the audience-service's {@code GET /runs/{runId}/match-back?windowDays=N}, which the campaign-service completes with
 * the run's cost. A customer is counted once per group however many rows or responses they have.
 *
 * @param windowDays responses dated from the delivery up to this many days after it count
 * @param mailed the customers the run mailed
 * @param heldOut the customers it held out (the control group)
 * @param lift mailed response rate minus held-out response rate, with its 95% confidence interval; null when
 *     either group is empty
 */
public record MatchBack(UUID runId, UUID campaignId, int windowDays, Group mailed, Group heldOut, Lift lift) {

    /**
     * One group.
     *
     * @param customers distinct customers in the group
     * @param responders of those, how many responded within the window
     * @param responseRate responders / customers (0 when the group is empty)
     * @param revenue the sum of their responses' amounts within the window
     * @param revenuePerCustomer revenue / customers (0 when the group is empty)
     */
    public record Group(
            long customers, long responders, double responseRate, BigDecimal revenue, BigDecimal revenuePerCustomer) {}

    /**
     * The difference of the two response rates (absolute, in rate units) and its 95% interval (normal approximation
     * of the difference of two proportions); {@code relative} is the difference over the held-out rate, null when
     * that rate is 0.
     */
    public record Lift(double absolute, double low, double high, Double relative) {}
}
