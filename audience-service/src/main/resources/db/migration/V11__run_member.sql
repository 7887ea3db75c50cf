-- The members of each resolution attempt, written while the attempt streams (one binary COPY per attempt, committed
-- just before its completion marker is sent): what a placement line (attempt_id, seq) of the extraction names, and
-- who was held out. Read once, when the run is DELIVERED and its contact history recorded, then deleted with it.
-- Rows of attempts that never complete are never committed (their COPY is cancelled or dies with the connection);
-- rows of runs never delivered (failed, cancelled, not delivered at all) are deleted by age
-- (mailshot.audience.history.member-retention). Transient, and on the profile stream's hot path: one index only,
-- the one the recording and the clean-up look rows up by.
create table run_member (
    run_id        uuid        not null,
    campaign_id   uuid        not null,
    attempt_id    uuid        not null,
    -- The row's number in the attempt's profile stream (ProfilesStreamed.firstSeq + index); null when held out.
    seq           bigint,
    namespace     text        not null,
    identity      text        not null,
    household_key text,
    holdout       boolean     not null,
    streamed_at   timestamptz not null default now()
);
create index run_member_run on run_member (run_id);
