-- Tries of each run's extraction (kit RunTries): a run that keeps failing, or keeps killing the process, runs
-- out of tries and fails with its reason instead of being replayed forever.
create table run_try (
  stage text not null,
  run_id uuid not null,
  tries int not null,
  last_error text,
  updated_at timestamptz not null,
  primary key (stage, run_id)
);

-- Runs cancelled by the campaign-service (kit CancelledRuns): never started, retried or staged again.
create table cancelled_run (run_id uuid primary key, cancelled_at timestamptz not null);
