-- Relative-date filters: a profile value that is not a date must make the comparison false, not fail the query.
create function mailshot_try_timestamptz(v text) returns timestamptz
language plpgsql stable parallel safe as $$
begin
  -- Cheap pre-check so ordinary non-dates never reach the (slower) exception handler.
  if v is null or v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then
    return null;
  end if;
  return v::timestamptz;
exception when others then
  return null;
end $$;

-- Normalised dedup keys, computed by the service at ingestion (see AddressNormalizer); null when the
-- profile has no usable address. keys_version tells which normalisation rules produced them.
alter table profile add column address_key text;
alter table profile add column household_key text;
alter table profile add column keys_version smallint;

-- Suppression lists: identities or addresses never to be mailed.
create table suppression_list (
  id uuid primary key,
  name text not null unique,
  reason text not null,
  created_at timestamptz not null
);

-- kind 'identity': match_key = namespace || U+001F || id; kind 'address': the normalised address key;
-- kind 'household': the normalised address key || '|' || normalised last name.
create table suppression_entry (
  list_id uuid not null references suppression_list (id) on delete cascade,
  kind text not null,
  match_key text not null,
  added_at timestamptz not null default now(),
  primary key (list_id, kind, match_key)
);
create index suppression_entry_lookup on suppression_entry (kind, match_key, list_id);

-- Every exclusion count of a completed run, not only consent.
alter table resolved_run add column no_address bigint not null default 0;
alter table resolved_run add column suppressed bigint not null default 0;
alter table resolved_run add column duplicate bigint not null default 0;
alter table resolved_run add column holdout bigint not null default 0;
