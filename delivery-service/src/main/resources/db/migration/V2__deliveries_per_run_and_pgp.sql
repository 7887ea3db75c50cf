-- A run can now have several deliveries: the original one (triggered by ExtractionCompleted) and admin re-sends.
-- The original delivery keeps id = run_id, so rows written before this migration stay valid.
alter table delivered_file drop constraint delivered_file_run_id_fkey;
alter table delivered_file drop constraint delivered_file_pkey;

alter table delivery add column id uuid;
update delivery set id = run_id;
alter table delivery alter column id set not null;
alter table delivery drop constraint delivery_pkey;
alter table delivery add primary key (id);
alter table delivery add column kind text not null default 'ORIGINAL' check (kind in ('ORIGINAL', 'RESEND'));
alter table delivery add column created_at timestamptz;
update delivery set created_at = updated_at;
alter table delivery alter column created_at set not null;
-- The staged files (parts in order, then the manifest) as JSON: what a re-send delivers again.
alter table delivery add column staged text;
-- Attempts made by the run's earlier deliveries: events number attempts run-wide (base + own attempt), so a
-- re-send's attempts never collide with the original's in consumers keyed by (run, attempt).
alter table delivery add column attempt_base int not null default 0;
-- At most one original delivery per run: a redelivered ExtractionCompleted finds it instead of starting another.
create unique index delivery_original_per_run on delivery (run_id) where kind = 'ORIGINAL';
create index delivery_by_run on delivery (run_id, created_at);
-- One re-send at a time per run and routing: two writers to the same destination files would race.
create unique index delivery_one_resend_in_progress on delivery (run_id, routing_id)
  where kind = 'RESEND' and status = 'IN_PROGRESS';

alter table delivered_file add column delivery_id uuid;
update delivered_file set delivery_id = run_id;
alter table delivered_file alter column delivery_id set not null;
alter table delivered_file add column position int not null default 0;
alter table delivered_file add column manifest boolean not null default false;
alter table delivered_file add primary key (delivery_id, name);
alter table delivered_file add constraint delivered_file_delivery_fk foreign key (delivery_id) references delivery (id);

-- Optional OpenPGP public key (ASCII armour; public, so not encrypted) and its fingerprint for display.
alter table file_routing add column pgp_public_key text;
alter table file_routing add column pgp_key_fingerprint text;
