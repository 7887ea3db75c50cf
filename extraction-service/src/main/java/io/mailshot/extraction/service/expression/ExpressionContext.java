package io.mailshot.extraction.service.expression;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What expressions of one run may read besides the row: campaign and run values, constants and format
 * defaults. Fixed for the whole run, so compiled expressions bind to it once.
 *
 * @param fields the attribute paths a row carries, in the order of its values; null when compiling only to
 *     check (then every path is accepted)
 * @param dateFormat formatDate's pattern when none is given
 * @param numberFormat formatNumber's pattern when none is given; null means plain
 */
public record ExpressionContext(
        List<String> fields,
        Map<String, String> constants,
        String campaignName,
        String campaignId,
        String runId,
        LocalDate runDate,
        String dateFormat,
        String numberFormat) {

    /** A context for validation only: any path is accepted, constants are unknown but accepted. */
    public static ExpressionContext checking() {
        return new ExpressionContext(null, null, "", "", "", LocalDate.of(2000, 1, 1), null, null);
    }
}
