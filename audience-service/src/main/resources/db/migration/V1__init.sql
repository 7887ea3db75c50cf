-- Kit tables: the transactional outbox and the processed-event log (shapes fixed by the service kit).
create table outbox (seq bigserial primary key, id uuid not null, topic text not null,
  record_key text not null, type text not null, payload text not null, created_at timestamptz not null);
create table processed_event (consumer text not null, event_id text not null,
  processed_at timestamptz not null, primary key (consumer, event_id));

-- One row per profile, keyed by its primary identity. doc is the profile exactly as received.
create table profile (
  id bigserial primary key,
  namespace text not null,
  identity text not null,
  doc jsonb not null,
  -- consents.marketing.postalMail.val, denormalised so resolution never parses the document for it.
  postal_consent text,
  event_time timestamptz not null,
  test_profile boolean not null default false,
  updated_at timestamptz not null default now(),
  unique (namespace, identity)
);

-- Named, reusable filters over profiles.
create table audience (
  id uuid primary key,
  name text not null unique,
  filter jsonb not null,
  created_at timestamptz not null
);

-- Runs whose profile stream completed: a redelivered RunRequested for one of them is skipped.
create table resolved_run (
  run_id uuid primary key,
  attempt_id uuid not null,
  matched bigint not null,
  streamed bigint not null,
  no_consent bigint not null,
  completed_at timestamptz not null
);
