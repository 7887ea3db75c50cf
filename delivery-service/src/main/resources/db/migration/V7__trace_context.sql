-- The W3C trace context current when the row was written (kit Outbox / DeferredWork): the relay puts it on the
-- event as ce_traceparent / ce_tracestate, a deferred item's worker continues it, so a run keeps one trace.
-- Null for rows written before, or outside any trace.
alter table outbox add column traceparent text, add column tracestate text;
alter table deferred_work add column traceparent text, add column tracestate text;
