-- Kit tables: transactional outbox and processed-event log.
create table outbox (seq bigserial primary key, id uuid not null, topic text not null,
  record_key text not null, type text not null, payload text not null, created_at timestamptz not null);
create table processed_event (consumer text not null, event_id text not null,
  processed_at timestamptz not null, primary key (consumer, event_id));

-- One row per finished run (completed or failed): a replayed profile stream for it is skipped.
create table extracted_run (
  run_id uuid primary key,
  attempt_id uuid,
  status text not null check (status in ('COMPLETED', 'FAILED')),
  rows bigint not null,
  object_key text,
  bytes bigint,
  sha256 text,
  reason text,
  completed_at timestamptz not null
);
