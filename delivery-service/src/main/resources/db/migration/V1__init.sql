-- Kit tables: transactional outbox and processed-event log.
create table outbox (seq bigserial primary key, id uuid not null, topic text not null,
  record_key text not null, type text not null, payload text not null, created_at timestamptz not null);
create table processed_event (consumer text not null, event_id text not null,
  processed_at timestamptz not null, primary key (consumer, event_id));

-- Where a run's files go. Secret columns hold "v1:<keyId>:<base64(iv|ciphertext)>", never plaintext.
create table file_routing (
  id uuid primary key,
  name text not null unique,
  type text not null check (type in ('S3', 'SFTP')),
  status text not null check (status in ('DRAFT', 'ACTIVE', 'ARCHIVED')),
  base_folder text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  s3_bucket text,
  s3_region text,
  s3_endpoint text,
  s3_path_style boolean,
  s3_access_key_id text,
  s3_secret_access_key_enc text,
  sftp_host text,
  sftp_port int,
  sftp_username text,
  sftp_password_enc text,
  sftp_private_key_enc text,
  sftp_host_key_fingerprint text
);

-- One delivery per run.
create table delivery (
  run_id uuid primary key,
  routing_id uuid,
  status text not null,
  attempts int not null default 0,
  destination text,
  error text,
  updated_at timestamptz not null
);

create table delivered_file (
  run_id uuid not null references delivery (run_id),
  name text not null,
  location text not null,
  bytes bigint not null,
  sha256 text,
  primary key (run_id, name)
);
