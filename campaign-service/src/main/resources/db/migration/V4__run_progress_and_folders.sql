-- Advisory progress for progress bars, from the …Progressed events (never recorded in processed_event:
-- they are frequent and may be lost or repeated). Final figures on run (streamed, exported_rows) win.

-- Profiles streamed so far, per slice of the run's resolution: the latest figure of the slice's latest
-- attempt. A new attempt of a slice replaces its figure; the run's figure is the sum over its slices.
create table run_progress_slice (
    run_id     uuid   not null references run (id),
    slice      int    not null,
    attempt_id uuid   not null,
    streamed   bigint not null,
    primary key (run_id, slice)
);

-- Rows the extraction wrote so far (latest ExtractionProgressed; back to zero when it rebuilds the run).
alter table run add column rows_written bigint;

-- A configuration's default folder template, rendered per run into RunSpec.folder (campaigns may override
-- it in their file definition).
alter table direct_mail_configuration add column folder_template text;
