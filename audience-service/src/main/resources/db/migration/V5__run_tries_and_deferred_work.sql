-- Tries of each run's (or slice's) resolution (kit RunTries): a run that keeps failing, or keeps killing the
-- process, runs out of tries and fails with its reason instead of being retried forever.
create table run_try (
  stage text not null,
  run_id uuid not null,
  tries int not null,
  last_error text,
  updated_at timestamptz not null,
  primary key (stage, run_id)
);

-- Work to do later (kit DeferredWork): a failed run's next try, due after its back-off, taken by any replica.
create table deferred_work (
  id uuid primary key,
  kind text not null,
  run_id uuid not null,
  payload text not null,
  due_at timestamptz not null,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz not null
);
create index deferred_work_due on deferred_work (due_at);
