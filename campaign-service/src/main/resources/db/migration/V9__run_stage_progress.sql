-- Advisory progress of the later stages, for progress bars (written only by RunProgress, one statement per event).

-- Parts of the file staged so far and their bytes (latest ExtractionProgressed; back to zero on a rebuild).
alter table run add column parts_staged bigint;
alter table run add column bytes_staged bigint;

-- The latest delivery attempt's figures (DeliveryProgressed): a later attempt replaces an earlier one's, a
-- repeated older figure of the same attempt never moves them back.
alter table run add column delivery_attempt int;
alter table run add column files_written int;
alter table run add column files_to_write int;
alter table run add column bytes_delivered bigint;
alter table run add column bytes_to_deliver bigint;
