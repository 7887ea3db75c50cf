-- Contact history: one row per profile row a delivered run mailed, and per profile it held out (the control group),
-- recorded once per run when the run is DELIVERED. Mail-pressure rules count the rows of the last days at
-- resolution; match-back compares mailed and held-out rows' responses. An erased profile's rows keep only what is
-- not personal (run, campaign, file, part, cell, holdout, time): namespace, identity and household key become null.
create table contact_history (
    run_id        uuid        not null,
    campaign_id   uuid        not null,
    namespace     text,
    identity      text,
    household_key text,
    file_name     text,
    part          integer,
    cell          text,
    holdout       boolean     not null,
    contacted_at  timestamptz not null
);

-- Pressure per profile and per household, and a profile's own history, read the newest rows of one key.
create index contact_history_identity on contact_history (namespace, identity, contacted_at);
create index contact_history_household on contact_history (household_key, contacted_at) where household_key is not null;
-- Per campaign: the CSV export, match-back, and "not again within D days of the same campaign".
create index contact_history_campaign on contact_history (campaign_id, run_id);

-- A run whose contacts are recorded: written in the same transaction as its rows, so a replayed delivery event
-- records nothing twice.
create table recorded_run (
    run_id      uuid primary key,
    campaign_id uuid        not null,
    mailed      bigint      not null,
    held_out    bigint      not null,
    recorded_at timestamptz not null
);
