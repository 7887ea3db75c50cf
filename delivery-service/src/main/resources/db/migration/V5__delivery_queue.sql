-- A delivery's attempts are deferred work (kit DeferredWork): the consumer records the delivery and its first
-- attempt, due now, and a failed attempt schedules the next one after its back-off. Any replica's workers take
-- due attempts under a lease, so one run's slow or failing destination never holds up another run's delivery.
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

-- When an IN_PROGRESS delivery's next attempt is due (shown by the API).
alter table delivery add column next_attempt_at timestamptz;

-- Deliveries left IN_PROGRESS by the previous version are attempted again.
update delivery set next_attempt_at = now() where status = 'IN_PROGRESS';
insert into deferred_work (id, kind, run_id, payload, due_at, created_at)
  select gen_random_uuid(), 'delivery.attempt', run_id, id::text, now(), now() from delivery
  where status = 'IN_PROGRESS';
