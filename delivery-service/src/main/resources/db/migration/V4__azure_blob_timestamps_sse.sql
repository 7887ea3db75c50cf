-- Azure Blob routings: a container and the connection string (a secret: "v1:<keyId>:..." ciphertext only). The
-- account name and blob endpoint are the non-secret parts of the connection string, kept apart for display.
alter table file_routing drop constraint file_routing_type_check;
alter table file_routing add constraint file_routing_type_check check (type in ('S3', 'SFTP', 'AZURE_BLOB'));
alter table file_routing add column azure_container text;
alter table file_routing add column azure_account_name text;
alter table file_routing add column azure_blob_endpoint text;
alter table file_routing add column azure_connection_string_enc text;

-- Delivered names get the delivery's UTC creation time (delivery.created_at, so retries and restarts reuse it).
alter table file_routing add column timestamp_file_names boolean not null default false;

-- S3 server-side encryption asked for on every upload: AES256 or aws:kms (with an optional KMS key id).
alter table file_routing add column s3_server_side_encryption text
  check (s3_server_side_encryption in ('AES256', 'aws:kms'));
alter table file_routing add column s3_kms_key_id text;
