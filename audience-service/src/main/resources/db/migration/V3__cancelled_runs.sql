-- Runs the marketer cancelled: resolution stops streaming them and never starts them again.
create table cancelled_run (
    run_id       uuid primary key,
    cancelled_at timestamptz not null
);
