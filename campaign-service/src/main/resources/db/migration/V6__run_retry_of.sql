-- A retried run links to the FAILED run it starts again (POST /runs/{id}/retry).
alter table run add column retry_of uuid references run (id);
