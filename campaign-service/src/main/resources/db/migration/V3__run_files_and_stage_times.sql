-- Every staged part of a run (split files), in order, and the manifest.
create table run_file (
    run_id      uuid   not null references run (id),
    part        int    not null,
    name        text   not null,
    rows        bigint not null,
    bytes       bigint not null,
    sha256      text   not null,
    staging_key text   not null,
    primary key (run_id, part)
);

-- When each stage started, for the run's timeline; and what the file holds besides profile rows.
alter table run add column resolving_at timestamptz;
alter table run add column extracting_at timestamptz;
alter table run add column delivering_at timestamptz;
alter table run add column manifest_name text;
alter table run add column seed_rows bigint;
alter table run add column rejected_rows bigint;
