package io.mailshot.campaign.service.run;

import io.mailshot.campaign.client.AudienceClient;
import io.mailshot.campaign.persistence.RunEntity;
import io.mailshot.campaign.persistence.RunRepository;
import io.mailshot.events.MatchBack;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.UUID;

/**
 * A delivered run's match-back: the audience-service counts the responses (it holds them and the contact history);
 * this service completes the answer with what the run cost, per response and per incremental response.
 */
@ApplicationScoped
@Transactional
public class MatchBacks {

    /** Decimals of the per-response figures (quotients, so they must be rounded somewhere; the cost itself is not). */
    private static final int SCALE = 4;

    private final RunRepository runs;
    private final AudienceClient audiences;

    public MatchBacks(RunRepository runs, AudienceClient audiences) {
        this.runs = runs;
        this.audiences = audiences;
    }

    /**
     * The match-back with its cost: {@code costPerResponse} = cost / mailed responders (null without any);
     * {@code costPerIncrementalResponse} = cost / (lift × mailed customers), null when the lift is unknown or not above
     * 0 (the mailing bought no measurable extra response). Both null when the run had no pricing.
     */
    public record Report(
            MatchBack matchBack, Run.Cost cost, BigDecimal costPerResponse, BigDecimal costPerIncrementalResponse) {}

    public Report report(UUID runId, int windowDays) {
        RunEntity run = runs.findByIdOptional(runId).orElseThrow(() -> DomainException.notFound("run", runId));
        if (!RunStatus.DELIVERED.name().equals(run.status)) {
            throw DomainException.conflict(
                    "status",
                    "delivered-only",
                    "run " + runId + " is " + run.status + "; responses are matched back to delivered runs only");
        }
        MatchBack answer = audiences.matchBack(runId, windowDays);
        List<Run.Part> parts = runs.files(runId).stream()
                .map(f -> new Run.Part(f.part, f.name, f.rows, f.bytes, f.sha256, f.stagingKey))
                .toList();
        Run.Cost cost = RunViews.cost(run, parts);
        if (cost == null) {
            return new Report(answer, null, null, null);
        }
        BigDecimal perResponse = answer.mailed() == null || answer.mailed().responders() <= 0
                ? null
                : cost.amount().divide(BigDecimal.valueOf(answer.mailed().responders()), SCALE, RoundingMode.HALF_EVEN);
        BigDecimal perIncremental = null;
        if (answer.lift() != null && answer.mailed() != null) {
            double incremental = answer.lift().absolute() * answer.mailed().customers();
            if (incremental > 0 && Double.isFinite(incremental)) {
                perIncremental = cost.amount().divide(BigDecimal.valueOf(incremental), SCALE, RoundingMode.HALF_EVEN);
            }
        }
        return new Report(answer, cost, perResponse, perIncremental);
    }
}
