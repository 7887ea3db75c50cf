-- Cost and budget (issue 21): a configuration's prices, kept exactly as given: an unconstrained NUMERIC keeps the
-- scale it was given (0.4500 stays 0.4500, 0.45 stays 0.45; the API allows at most 4 decimals). All three or none.
alter table direct_mail_configuration
    add column price_per_piece numeric,
    add column price_per_file  numeric,
    add column price_currency  text,
    add constraint direct_mail_configuration_pricing_all_or_none check (
        (price_per_piece is null) = (price_per_file is null) and (price_per_file is null) = (price_currency is null)),
    add constraint direct_mail_configuration_pricing_not_negative check (price_per_piece >= 0 and price_per_file >= 0);

-- A campaign's budget cap per run, and its exemption from mail-pressure rules (who granted it, when and why).
alter table campaign
    add column budget_amount            numeric,
    add column budget_currency          text,
    add column pressure_exempt          boolean not null default false,
    add column pressure_exempt_reason   text,
    add column pressure_exempt_by       text,
    add column pressure_exempt_by_name  text,
    add column pressure_exempt_at       timestamptz,
    add constraint campaign_budget_all_or_none check ((budget_amount is null) = (budget_currency is null)),
    add constraint campaign_budget_not_negative check (budget_amount >= 0);

-- The run report's new exclusion reasons (null until AudienceResolved, like the others), and the prices snapshotted
-- when the run was requested, so that a later price change does not rewrite what a run cost.
alter table run
    add column returned        bigint,
    add column pressure        bigint,
    add column price_per_piece numeric,
    add column price_per_file  numeric,
    add column price_currency  text;
