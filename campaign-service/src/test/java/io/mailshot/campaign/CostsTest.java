package io.mailshot.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailshot.campaign.service.cost.CostEstimate;
import io.mailshot.campaign.service.cost.Costs;
import io.mailshot.campaign.service.cost.Money;
import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.kit.domain.DomainException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The arithmetic of an estimate and the rules of amounts, without a server. */
class CostsTest {

    private static final Pricing PRICING = new Pricing(new BigDecimal("0.4500"), new BigDecimal("25"), "EUR");

    @Test
    void theEstimateTakesOffPressureAndTheHoldoutAndAddsSeedsPerFile() {
        // 10 000 − 1 000 stopped = 9 000; 10% held out = 8 100 mailed; split every 3 000: 3 files; 2 seeds each.
        CostEstimate e = Costs.estimate(PRICING, 10_000, 1_000, 10, 3_000, 2, new Money(new BigDecimal("3700"), "EUR"));
        assertEquals(8_106, e.pieces());
        assertEquals(3, e.files());
        // 8 106 × 0.4500 + 3 × 25, exact: 3 647.7000 + 75.
        assertEquals(new BigDecimal("3722.7000"), e.estimatedCost());
        assertEquals(false, e.withinBudget());
        CostEstimate unbudgeted = Costs.estimate(PRICING, 0, 0, 0, null, 0, null);
        assertEquals(1, unbudgeted.files());
        // No pieces, but the one file is still priced.
        assertEquals(new BigDecimal("25"), unbudgeted.estimatedCost().stripTrailingZeros());
        assertNull(unbudgeted.withinBudget());
    }

    @Test
    void amountsAreRefusedRatherThanRoundedAndExponentsAreWrittenOutWithTheSameValue() {
        DomainException decimals = assertThrows(
                DomainException.class,
                () -> Costs.checkPricing(new Pricing(new BigDecimal("0.00001"), BigDecimal.ONE, "EUR")));
        assertEquals("pricing.perPiece", decimals.violations().get(0).field());
        assertEquals("decimals", decimals.violations().get(0).rule());
        DomainException currency =
                assertThrows(DomainException.class, () -> Costs.checkBudget(new Money(BigDecimal.TEN, "EUR"), null));
        assertEquals("pricing-required", currency.violations().get(0).rule());
        assertEquals(new BigDecimal("1000"), Costs.stored(new BigDecimal("1E+3")));
        assertEquals("0.4500", Costs.stored(new BigDecimal("0.4500")).toPlainString());
    }
}
