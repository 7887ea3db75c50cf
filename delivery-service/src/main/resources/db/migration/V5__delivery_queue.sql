-- The delivery table is the work queue: a delivery IN_PROGRESS is due at next_attempt_at, and a worker of some
-- replica holds it while it tries (lease_owner until lease_until). The consumer only records the delivery, so
-- one run's slow or failing delivery never holds up another's.
alter table delivery add column next_attempt_at timestamptz;
alter table delivery add column lease_owner text;
alter table delivery add column lease_until timestamptz;
update delivery set next_attempt_at = now() where status = 'IN_PROGRESS';
create index delivery_due on delivery (next_attempt_at) where status = 'IN_PROGRESS';
