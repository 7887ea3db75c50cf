package io.mailshot.campaign.service.cost;

import java.math.BigDecimal;

/** An amount in an ISO 4217 currency (a campaign's budget cap, a run's cost). */
public record Money(BigDecimal amount, String currency) {}
