package io.mailshot.audience.persistence;

import io.mailshot.events.PressureRule;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The left joins that tell, per profile row, whether its current address was returned and which mail-pressure rules
 * stop it. Each is a window of its table aggregated once per query (one row per key, so a join never repeats a
 * profile), which PostgreSQL joins by hash against the profile scan; the history is never read row by row per
 * profile, and never in the JVM. No rule and no return stored means no join at all: the query is today's. Values are
 * bind parameters only; a rule's scope only picks which fixed SQL text is used.
 */
final class WindowJoins {

    /** Appended after {@code from profile}. */
    final String sql;
    /** The parameters of {@link #sql}, in order. */
    final List<Object> params;
    /** True when the row's current address was returned since it last changed; null when nothing is returned. */
    final String returned;
    /** Per rule, true when that rule stops the row. */
    final List<String> rules;

    private WindowJoins(String sql, List<Object> params, String returned, List<String> rules) {
        this.sql = sql;
        this.params = params;
        this.returned = returned;
        this.rules = rules;
    }

    /** True when any rule stops the row; null without rules. */
    String anyRule() {
        return rules.isEmpty() ? null : "(" + String.join(" or ", rules) + ")";
    }

    /**
     * @param anyReturned whether {@code returned_mail} holds a row (without one the join is left out)
     * @param campaignId the run's campaign, for CAMPAIGN rules
     */
    static WindowJoins of(boolean anyReturned, List<PressureRule> pressureRules, UUID campaignId) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        String returned = null;
        if (anyReturned) {
            // The newest return of each key: a return on or after the day the address last changed (any return when
            // it never changed) means the address is still the one the post office sent back.
            sql.append(" left join (select address_key as rm_key, max(return_date) as rm_last from returned_mail"
                    + " group by address_key) rm on rm.rm_key = profile.address_key");
            returned = "(rm.rm_last >= coalesce((profile.address_since at time zone 'UTC')::date, '-infinity'::date))";
        }
        List<String> rules = new ArrayList<>();
        for (int i = 0; i < pressureRules.size(); i++) {
            PressureRule rule = pressureRules.get(i);
            String p = "pr" + i;
            // Held-out rows were never mailed; erased rows have no identity (nor household) left to count.
            String window = " from contact_history where holdout = false and contacted_at > now() - make_interval(days"
                    + " => ?)";
            switch (rule.scope()) {
                case PressureRule.HOUSEHOLD -> {
                    sql.append(" left join (select household_key as ")
                            .append(p)
                            .append("_key")
                            .append(window)
                            .append(" and household_key is not null group by household_key having count(*) >= ?) ")
                            .append(p)
                            .append(" on ")
                            .append(p)
                            .append('.')
                            .append(p)
                            .append("_key = profile.household_key");
                    params.add(rule.days());
                    params.add(rule.maxContacts());
                }
                case PressureRule.PROFILE, PressureRule.CAMPAIGN -> {
                    boolean campaign = PressureRule.CAMPAIGN.equals(rule.scope());
                    sql.append(" left join (select namespace as ")
                            .append(p)
                            .append("_ns, identity as ")
                            .append(p)
                            .append("_key")
                            .append(window)
                            .append(campaign ? " and campaign_id = ?::uuid" : "")
                            .append(" and identity is not null group by namespace, identity having count(*) >= ?) ")
                            .append(p)
                            .append(" on ")
                            .append(p)
                            .append('.')
                            .append(p)
                            .append("_ns = profile.namespace and ")
                            .append(p)
                            .append('.')
                            .append(p)
                            .append("_key = profile.identity");
                    params.add(rule.days());
                    if (campaign) {
                        params.add(campaignId.toString());
                    }
                    params.add(rule.maxContacts());
                }
                default -> throw new IllegalArgumentException("unknown pressure scope " + rule.scope());
            }
            rules.add("(" + p + "." + p + "_key is not null)");
        }
        return new WindowJoins(sql.toString(), List.copyOf(params), returned, List.copyOf(rules));
    }
}
