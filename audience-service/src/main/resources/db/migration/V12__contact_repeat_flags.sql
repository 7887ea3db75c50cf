-- Mail pressure without re-reading the whole window on every run. A contact is flagged "repeat" for a scope when,
-- as it was recorded, its key (household; namespace and identity) already had another contact in the history or
-- appears more than once in the same recording. Recordings take one lock, so the first contact recorded for a key is
-- its only unflagged one: "at least N contacts in the window" (N >= 2) is then "at least N flagged ones, or N - 1
-- flagged ones and the unflagged one", read from the flagged rows alone. A key contacted once (most of a large
-- history) costs a rule nothing; a rule's work grows with the keys contacted again, not with the history.
alter table contact_history add column repeat_household boolean not null default false;
alter table contact_history add column repeat_profile boolean not null default false;

-- The rows recorded before this migration: every row of a key with more than one contact is flagged, which keeps "at
-- most one unflagged row per key" true (none).
update contact_history set repeat_household = true
where household_key in (
    select household_key from contact_history where household_key is not null group by household_key having count(*) > 1);
update contact_history set repeat_profile = true
where (namespace, identity) in (
    select namespace, identity from contact_history where identity is not null
    group by namespace, identity having count(*) > 1);

-- A rule reads the flagged mailed rows of its window: small when few keys are contacted again.
create index contact_history_household_repeat on contact_history (contacted_at) include (household_key)
    where repeat_household and not holdout;
create index contact_history_profile_repeat on contact_history (contacted_at) include (namespace, identity, campaign_id)
    where repeat_profile and not holdout;
