-- Kit tables: the transactional outbox and the processed-event log (see service-kit).
create table outbox (
    seq         bigserial primary key,
    id          uuid        not null,
    topic       text        not null,
    record_key  text        not null,
    type        text        not null,
    payload     text        not null,
    created_at  timestamptz not null
);

create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);

create table direct_mail_configuration (
    id           uuid primary key,
    name         text        not null unique,
    routing_id   uuid        not null,
    status       text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);

create table campaign (
    id                 uuid primary key,
    name               text        not null,
    description        text,
    type               text        not null,
    status             text        not null,
    audience_id        uuid        not null,
    identity_namespace text        not null,
    configuration_id   uuid        not null references direct_mail_configuration (id),
    file_name_template text        not null,
    -- The ordered column list as JSON: [{"label": ..., "path": ...}].
    columns            text        not null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);

create table run (
    id             uuid primary key,
    campaign_id    uuid        not null references campaign (id),
    status         text        not null,
    -- The RunSpec the run executes: later campaign edits never change a run.
    spec           text        not null,
    file_name      text        not null,
    routing_id     uuid        not null,
    requested_at   timestamptz not null,
    updated_at     timestamptz not null,
    completed_at   timestamptz,
    matched        bigint,
    streamed       bigint,
    no_consent     bigint,
    no_address     bigint,
    suppressed     bigint,
    duplicate      bigint,
    holdout        bigint,
    exported_rows  bigint,
    file_bytes     bigint,
    file_sha256    text,
    staging_key    text,
    destination    text,
    delivered_location text,
    error          text
);
create index run_campaign on run (campaign_id, requested_at desc);

create table run_delivery_attempt (
    run_id      uuid        not null references run (id),
    attempt     int         not null,
    destination text,
    succeeded   boolean     not null,
    error       text,
    at          timestamptz not null,
    primary key (run_id, attempt)
);
