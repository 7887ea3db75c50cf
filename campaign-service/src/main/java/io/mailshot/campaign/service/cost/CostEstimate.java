package io.mailshot.campaign.service.cost;

import java.math.BigDecimal;

/**
 * What one run of a campaign would cost now: {@code pieces} × {@code perPiece} + {@code files} × {@code perFile}.
 *
 * @param audience the profiles the audience matches now (the audience-service's estimate)
 * @param stoppedByPressure of those, how many the mail-pressure rules would stop (0 without rules)
 * @param pieces the pieces a run would mail: the audience less pressure and the holdout share, plus seed rows per file
 * @param files the files (parts) a run would write: from {@code splitEvery}, else 1; a lower bound when the file is
 *     split by a field's value or by size, which only the rows themselves decide
 * @param budget the campaign's cap per run; null when it has none
 * @param withinBudget null without a budget
 */
public record CostEstimate(
        long audience,
        long stoppedByPressure,
        long pieces,
        long files,
        BigDecimal perPiece,
        BigDecimal perFile,
        String currency,
        BigDecimal estimatedCost,
        Money budget,
        Boolean withinBudget) {}
