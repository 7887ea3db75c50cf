-- A run whose resolution is split into slices streamed by several replicas. The row is also the lock that
-- serialises slice completions, so exactly one of them sees the last slice land and records the run.
create table sliced_run (
    run_id     uuid primary key,
    slices     int not null check (slices between 2 and 256),
    planned_at timestamptz not null
);

-- The first completed attempt of each slice, with its counts; the run is resolved when every slice has one.
create table resolved_slice (
    run_id       uuid not null references sliced_run (run_id),
    slice        int not null,
    attempt_id   uuid not null,
    matched      bigint not null,
    streamed     bigint not null,
    no_consent   bigint not null,
    no_address   bigint not null,
    suppressed   bigint not null,
    duplicate    bigint not null,
    holdout      bigint not null,
    completed_at timestamptz not null,
    primary key (run_id, slice)
);
