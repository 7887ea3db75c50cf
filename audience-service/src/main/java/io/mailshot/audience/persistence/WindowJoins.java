package io.mailshot.audience.persistence;

import io.mailshot.events.PressureRule;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The left joins that tell, per profile row, whether its current address was returned and which mail-pressure rules
 * stop it. Each is a window of its table aggregated once per query (one row per key, so a join never repeats a
 * profile), which PostgreSQL joins by hash against the profile scan; the history is never read row by row per
 * profile, and never in the JVM. A rule of N >= 2 contacts reads only the rows flagged as repeats (see V12), so its
 * cost follows the keys contacted again, not the size of the window. No rule and no return stored means no join at
 * all: the query is today's. Values are bind parameters only; a rule's scope only picks which fixed SQL text is used.
 * Run the query with nested loops off ({@link #PLANNER}): a profile filter's row estimate can be far too low, and a
 * nested loop over a window join would then compare every profile with every key.
 */
final class WindowJoins {

    /**
     * How a scope's key is read from the history ({@code h}) and matched to {@code profile}. In {@code select} and
     * {@code on}, {@code $} stands for the join's alias.
     */
    private record Key(String columns, String present, String flag, String same, String select, String on) {}

    private static final Key HOUSEHOLD = new Key(
            "h.household_key",
            "h.household_key is not null",
            "repeat_household",
            "u.household_key = h.household_key",
            "h.household_key as $_key",
            "$.$_key = profile.household_key");
    private static final Key PROFILE = new Key(
            "h.namespace, h.identity",
            "h.identity is not null",
            "repeat_profile",
            "u.namespace = h.namespace and u.identity = h.identity",
            "h.namespace as $_ns, h.identity as $_key",
            "$.$_ns = profile.namespace and $.$_key = profile.identity");

    /** Set in the query's transaction when {@link #sql} is not empty. */
    static final String PLANNER = "set local enable_nestloop = off";

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
            Key key = switch (rule.scope()) {
                case PressureRule.HOUSEHOLD -> HOUSEHOLD;
                case PressureRule.PROFILE, PressureRule.CAMPAIGN -> PROFILE;
                default -> throw new IllegalArgumentException("unknown pressure scope " + rule.scope());
            };
            boolean campaign = PressureRule.CAMPAIGN.equals(rule.scope());
            // Held-out rows were never mailed; erased rows have no identity (nor household) left to count.
            String window = " and not h.holdout and h.contacted_at > now() - make_interval(days => ?)"
                    + (campaign ? " and h.campaign_id = ?::uuid" : "");
            sql.append(" left join (select ")
                    .append(key.select.replace("$", p))
                    .append(" from contact_history h where ");
            params.add(rule.days());
            if (campaign) {
                params.add(campaignId.toString());
            }
            if (rule.maxContacts() == 1) {
                // Any contact in the window stops the key: every row of the window is read.
                sql.append(key.present).append(window);
                sql.append(" group by ").append(key.columns);
            } else {
                // At least N contacts: N flagged ones, or N - 1 and the key's only unflagged one (see V12). Only the
                // flagged rows of the window are read, through their partial index.
                sql.append("h.").append(key.flag).append(window);
                sql.append(" group by ")
                        .append(key.columns)
                        .append(" having count(*) >= ? or (count(*) = ? and exists (select 1 from contact_history u"
                                + " where ")
                        .append(key.same)
                        .append(" and not u.")
                        .append(key.flag)
                        .append(window.replace("h.", "u."))
                        .append("))");
                params.add(rule.maxContacts());
                params.add(rule.maxContacts() - 1);
                params.add(rule.days());
                if (campaign) {
                    params.add(campaignId.toString());
                }
            }
            sql.append(") ").append(p).append(" on ").append(key.on.replace("$", p));
            rules.add("(" + p + "." + p + "_key is not null)");
        }
        return new WindowJoins(sql.toString(), List.copyOf(params), returned, List.copyOf(rules));
    }
}
