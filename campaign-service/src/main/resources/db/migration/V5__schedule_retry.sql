-- An occurrence that could not fire (a peer service down, a definition that no longer renders) is retried
-- later instead of blocking the claim of every other due schedule behind it.
alter table campaign_schedule add column retry_at timestamptz;
alter table campaign_schedule add column last_error text;
