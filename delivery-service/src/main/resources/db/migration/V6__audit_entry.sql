-- The audit trail (kit AuditTrail): who changed what, when, and the outcome, one row per change, written in the
-- change's own transaction. The same DDL in every service that audits. Append-only by structure: the trigger
-- below refuses UPDATE, DELETE and TRUNCATE whoever sends them.
create table audit_entry (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_subject text not null,
  actor_name text,
  action text not null,
  entity_type text not null,
  entity_id text,
  within_type text,
  within_id text,
  outcome text not null check (outcome in ('DONE', 'REFUSED', 'FAILED')),
  details jsonb not null default '{}'
);
create index audit_entry_entity on audit_entry (entity_type, entity_id, occurred_at);
create index audit_entry_within on audit_entry (within_type, within_id, occurred_at) where within_type is not null;

create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_entry is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
-- Per statement, so that even a statement that matches no row is refused.
create trigger audit_entry_append_only before update or delete or truncate on audit_entry
  for each statement execute function audit_entry_append_only();
