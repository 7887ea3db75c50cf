-- Returned mail: an address a provider reported as undeliverable, by its normalised address key (AddressNormalizer).
-- A run excludes a profile whose current address key has a return on or after the day its address last changed
-- (reason `returned`); a new address has a new key and is mailed again. One row per key, date and reason, so
-- importing the same return file twice stores nothing twice.
create table returned_mail (
    address_key text        not null,
    return_date date        not null,
    reason_code text        not null,
    received_at timestamptz not null,
    primary key (address_key, return_date, reason_code)
);

-- When the profile's address key last changed (the event time of the write that changed it); null for a profile
-- whose address has not changed since it was first stored, so every return of its key counts.
alter table profile add column address_since timestamptz;

-- The two new exclusion counts of a completed run (and of a slice of one).
alter table resolved_run add column returned bigint not null default 0;
alter table resolved_run add column pressure bigint not null default 0;
alter table resolved_slice add column returned bigint not null default 0;
alter table resolved_slice add column pressure bigint not null default 0;
