-- A retried run links to the FAILED run it starts again (POST /runs/{id}/retry).
alter table run add column retry_of uuid references run (id);

-- When the delivery succeeded. Stage events of one run travel on three topics and may be read in any order
-- (e.g. after a broker restart): a run is DELIVERED once both its delivery and its extraction's counts are in.
alter table run add column delivered_at timestamptz;
