-- File format defaults of a configuration, as FileFormat JSON (null fields mean the defaults).
alter table direct_mail_configuration add column format text;
alter table direct_mail_configuration add column timestamp_file_names boolean not null default false;

-- The rest of a campaign's definition (sort, split, notes, seeds, exclusions, constants), as JSON.
alter table campaign add column definition text;
alter table campaign add column approval_required boolean not null default false;
alter table campaign add column author text;
alter table campaign add column reviewed_by text;

-- One schedule per campaign. next_fire_at is claimed with FOR UPDATE SKIP LOCKED, so each occurrence
-- fires exactly once across replicas.
create table campaign_schedule (
    campaign_id   uuid primary key references campaign (id),
    kind          text        not null,
    fire_at       timestamptz,
    time_of_day   text,
    days_of_week  text,
    day_of_month  int,
    time_zone     text        not null,
    starts_on     date,
    ends_on       date,
    next_fire_at  timestamptz,
    last_fired_at timestamptz
);
create index campaign_schedule_due on campaign_schedule (next_fire_at) where next_fire_at is not null;
