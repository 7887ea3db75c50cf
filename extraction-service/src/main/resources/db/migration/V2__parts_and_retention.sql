-- Runs now stage several parts and a manifest; purged_at marks runs whose staged objects retention removed.
alter table extracted_run add column parts int not null default 1;
alter table extracted_run add column seed_rows bigint not null default 0;
alter table extracted_run add column rejected_rows bigint not null default 0;
alter table extracted_run add column manifest_key text;
alter table extracted_run add column purged_at timestamptz;
create index extracted_run_retention on extracted_run (completed_at) where status = 'COMPLETED' and purged_at is null;
