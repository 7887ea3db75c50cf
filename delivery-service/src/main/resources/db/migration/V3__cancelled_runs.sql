-- Runs the marketer cancelled: their files are never published, even if extraction finished first.
create table cancelled_run (
    run_id       uuid primary key,
    cancelled_at timestamptz not null
);
