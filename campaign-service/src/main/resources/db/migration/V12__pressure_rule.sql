-- Mail-pressure rules (issue 21): global (configuration_id null) or attached to one configuration. Each run
-- snapshots the rules that apply into its RunSpec, so editing or deleting a rule never changes a requested run.
create table pressure_rule (
    id               uuid primary key,
    name             text        not null,
    scope            text        not null check (scope in ('PROFILE', 'HOUSEHOLD', 'CAMPAIGN')),
    max_contacts     integer     not null check (max_contacts >= 1),
    days             integer     not null check (days between 1 and 3650),
    configuration_id uuid references direct_mail_configuration (id),
    created_by       text,
    created_by_name  text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create index pressure_rule_configuration on pressure_rule (configuration_id);
