-- Who did what comes from the access token: its subject (stable, what four-eyes compares) and a display name.
-- The old author and reviewer were names the caller wrote in a header; nothing can be trusted about them, so they
-- are dropped rather than carried over as if they were identities.
alter table campaign
    drop column author,
    drop column reviewed_by,
    drop column approval_required,
    add column created_by text,
    add column created_by_name text,
    add column edited_by text,
    add column edited_by_name text,
    add column submitted_by text,
    add column submitted_by_name text,
    add column submitted_at timestamptz,
    add column approved_by text,
    add column approved_by_name text,
    add column approved_at timestamptz,
    add column rejected_by text,
    add column rejected_by_name text,
    add column activated_by text,
    add column activated_by_name text,
    -- Why an approval was withdrawn (its configuration or routing changed after approval), shown until resubmitted.
    add column approval_withdrawn text;

-- Whether campaigns of a configuration need approval, on top of the installation's policy (mailshot.approval.*).
alter table direct_mail_configuration
    add column approval_required boolean not null default false,
    add column updated_by text,
    add column updated_by_name text;

alter table run
    add column requested_by text,
    add column requested_by_name text,
    add column cancelled_by text,
    add column cancelled_by_name text;
