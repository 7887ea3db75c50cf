-- A cancelled run is finished too: replays of its stream are skipped and nothing is staged for it.
alter table extracted_run drop constraint if exists extracted_run_status_check;
alter table extracted_run add constraint extracted_run_status_check
    check (status in ('COMPLETED', 'FAILED', 'CANCELLED'));
