package io.mailshot.campaign.service.cost;

import java.math.BigDecimal;

/** What a direct-mail configuration pays its provider: per mailed piece and per file, in one ISO 4217 currency. */
public record Pricing(BigDecimal perPiece, BigDecimal perFile, String currency) {}
