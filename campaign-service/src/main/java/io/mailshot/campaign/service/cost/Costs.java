package io.mailshot.campaign.service.cost;

import io.mailshot.kit.domain.DomainException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * The rules of prices and budgets, and the arithmetic of a run's cost. Amounts are never rounded or rescaled: what a
 * marketer typed is what is stored, shown and multiplied.
 */
public final class Costs {

    /** The most decimals a price or a budget may have (hundredths of a cent are the finest any provider bills). */
    public static final int MAX_DECIMALS = 4;
    /** Digits before the decimal point: far above any real price or budget, and well within NUMERIC. */
    private static final int MAX_INTEGER_DIGITS = 15;

    private Costs() {}

    /** A configuration's pricing (null: none): both prices valid, the currency known. */
    public static void checkPricing(Pricing pricing) {
        if (pricing == null) {
            return;
        }
        List<DomainException.Violation> broken = new ArrayList<>();
        amount("pricing.perPiece", pricing.perPiece(), broken);
        amount("pricing.perFile", pricing.perFile(), broken);
        currency("pricing.currency", pricing.currency(), broken);
        refuse(broken);
    }

    /** A campaign's budget (null: none), against its configuration's pricing (null: none). */
    public static void checkBudget(Money budget, Pricing pricing) {
        if (budget == null) {
            return;
        }
        List<DomainException.Violation> broken = new ArrayList<>();
        amount("budget.amount", budget.amount(), broken);
        currency("budget.currency", budget.currency(), broken);
        refuse(broken);
        if (pricing == null) {
            throw DomainException.invalid(
                    "budget",
                    "pricing-required",
                    "a budget needs the configuration's pricing to estimate a run's cost; the configuration has none");
        }
        if (!pricing.currency().equals(budget.currency())) {
            throw DomainException.invalid(
                    "budget.currency",
                    "pricing-currency",
                    "the budget is in " + budget.currency() + " but the configuration prices in " + pricing.currency()
                            + "; amounts in two currencies cannot be compared");
        }
    }

    /** The value as stored: only an exponent form ({@code 1E+3}) is written out plainly, its value unchanged. */
    public static BigDecimal stored(BigDecimal value) {
        return value == null || value.scale() >= 0 ? value : value.setScale(0);
    }

    /** {@code pieces} × perPiece + {@code files} × perFile, exact. */
    public static BigDecimal cost(Pricing pricing, long pieces, long files) {
        return pricing.perPiece()
                .multiply(BigDecimal.valueOf(pieces))
                .add(pricing.perFile().multiply(BigDecimal.valueOf(files)));
    }

    /**
     * The estimate of a run: the audience less what pressure stops, less the holdout share (rounded down, so the
     * estimate errs towards more pieces), plus the seed rows of every file.
     */
    public static CostEstimate estimate(
            Pricing pricing,
            long audience,
            long stoppedByPressure,
            int holdoutPercent,
            Integer splitEvery,
            int seeds,
            Money budget) {
        long eligible = Math.max(0, audience - stoppedByPressure);
        long mailed = eligible - eligible * holdoutPercent / 100;
        long files = splitEvery == null || splitEvery <= 0 ? 1 : Math.max(1, (mailed + splitEvery - 1) / splitEvery);
        long pieces = mailed + (long) seeds * files;
        BigDecimal cost = cost(pricing, pieces, files);
        return new CostEstimate(
                audience,
                stoppedByPressure,
                pieces,
                files,
                pricing.perPiece(),
                pricing.perFile(),
                pricing.currency(),
                cost,
                budget,
                budget == null ? null : cost.compareTo(budget.amount()) <= 0);
    }

    private static void amount(String field, BigDecimal value, List<DomainException.Violation> broken) {
        if (value == null) {
            broken.add(new DomainException.Violation(field, "required", field + " is required"));
        } else if (value.signum() < 0) {
            broken.add(new DomainException.Violation(field, "min", field + " must be 0 or more, not " + value));
        } else if (value.scale() > MAX_DECIMALS) {
            broken.add(new DomainException.Violation(
                    field,
                    "decimals",
                    field + " has " + value.scale() + " decimal places; at most " + MAX_DECIMALS
                            + " are kept exactly, and an amount is never rounded silently"));
        } else if (value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            broken.add(new DomainException.Violation(
                    field, "max", field + " has more than " + MAX_INTEGER_DIGITS + " digits before the point"));
        }
    }

    private static void currency(String field, String code, List<DomainException.Violation> broken) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            broken.add(new DomainException.Violation(
                    field, "currency", field + " must be an ISO 4217 code of three capital letters, such as EUR"));
            return;
        }
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            broken.add(new DomainException.Violation(field, "currency", code + " is not an ISO 4217 currency code"));
        }
    }

    private static void refuse(List<DomainException.Violation> broken) {
        if (!broken.isEmpty()) {
            throw DomainException.invalid(broken);
        }
    }
}
