-- Responses (orders, sign-ups, calls) imported by POST /responses/bulk, matched back to delivered runs. One row per
-- (identity, time, channel): a re-import of the same response changes nothing, so revenue is never counted twice.
create table response (
    namespace    text           not null,
    identity     text           not null,
    responded_at timestamptz    not null,
    channel      text           not null,
    amount       numeric check (amount >= 0),
    imported_at  timestamptz    not null default now(),
    -- Also the index match-back reads: one identity's responses in a time window.
    constraint response_once unique (namespace, identity, responded_at, channel)
);

-- Identities erased at the person's request (DELETE /profiles/{namespace}/{id}): only an HMAC-SHA-256 of
-- (namespace, id) under a secret salt, so a later import of the same identity is refused without the service
-- keeping who it was.
create table erased_identity (
    identity_hash text        primary key,
    erasure_id    uuid        not null,
    erased_at     timestamptz not null
);
