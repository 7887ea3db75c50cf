package io.mailshot.audience.service.response;

import io.mailshot.audience.persistence.ResponseRepository;
import io.mailshot.events.MatchBack;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Match-back of a delivered run: the responses of its mailed and held-out customers within a window after delivery,
 * summed by one SQL statement ({@link ResponseRepository#matchBack}), and the lift with its 95% interval.
 */
@ApplicationScoped
public class MatchBackService {

    private static final Logger LOG = Logger.getLogger(MatchBackService.class);
    /** The normal quantile of a two-sided 95% interval, as the usual formula rounds it. */
    static final double Z95 = 1.96;

    private final ResponseRepository responses;

    public MatchBackService(ResponseRepository responses) {
        this.responses = responses;
    }

    /** The run's match-back; not found when the run's contacts were never recorded. */
    public MatchBack matchBack(UUID runId, int windowDays) {
        ResponseRepository.RunSums sums;
        try {
            sums = responses
                    .matchBack(runId, windowDays)
                    .orElseThrow(() -> new DomainException(
                            DomainException.Kind.NOT_FOUND,
                            "not-found",
                            "Not found",
                            "run " + runId + " has no recorded contact history (not delivered, or not recorded yet)",
                            List.of()));
        } catch (SQLException e) {
            LOG.warnf("match-back failed, SQL state %s", e.getSQLState());
            throw DomainException.unavailable("the response store is unavailable (SQL state " + e.getSQLState() + ")");
        }
        MatchBack.Group mailed = group(sums.mailed());
        MatchBack.Group heldOut = group(sums.heldOut());
        return new MatchBack(runId, sums.campaignId(), windowDays, mailed, heldOut, lift(mailed, heldOut));
    }

    static MatchBack.Group group(ResponseRepository.GroupSums sums) {
        long n = sums.customers();
        double rate = n == 0 ? 0 : (double) sums.responders() / n;
        BigDecimal perCustomer = n == 0
                ? BigDecimal.ZERO
                : sums.revenue()
                        .divide(BigDecimal.valueOf(n), Math.max(sums.revenue().scale(), 2) + 2, RoundingMode.HALF_EVEN);
        return new MatchBack.Group(n, sums.responders(), rate, sums.revenue(), perCustomer);
    }

    /**
     * The difference of the two rates and its 95% interval: the normal approximation of a difference of two
     * independent proportions, unpooled (±z·√(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)). Null when a group is empty.
     */
    static MatchBack.Lift lift(MatchBack.Group mailed, MatchBack.Group heldOut) {
        if (mailed.customers() == 0 || heldOut.customers() == 0) {
            return null;
        }
        double p1 = mailed.responseRate();
        double p2 = heldOut.responseRate();
        double difference = p1 - p2;
        double margin = Z95 * Math.sqrt(p1 * (1 - p1) / mailed.customers() + p2 * (1 - p2) / heldOut.customers());
        return new MatchBack.Lift(
                difference, difference - margin, difference + margin, p2 > 0 ? difference / p2 : null);
    }
}
