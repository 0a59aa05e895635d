create type export_format as enum ('XLSX', 'CSV');

-- a spreadsheet written in the background from a template's records. The row outlives its file:
-- once expires_at passes, the deleteExpiredExports task deletes the file (file_id becomes null)
-- and a download answers 410 Gone instead of 404.
create table exports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  template_id uuid not null references import_templates (id),
  -- null: every completed import of the template
  import_id uuid references imports (id) on delete cascade,
  format export_format not null default 'XLSX',
  status job_status not null default 'PENDING',
  file_id uuid references stored_files (id) on delete set null,
  file_name text,
  file_size integer,
  row_count integer,
  expires_at timestamptz(3),
  error_message text,
  background_job_id text,
  attempts integer not null default 0,
  processing_started_at timestamptz(3),
  processing_completed_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create index exports_user_id_created_at_idx on exports (user_id, created_at desc, id desc);
create index exports_template_id_idx on exports (template_id);
create index exports_import_id_idx on exports (import_id);
create index exports_expires_at_idx on exports (expires_at);

create trigger tg_exports__set_updated_at before update on exports
  for each row execute function tg__set_updated_at();

-- file_id is announced too: when the cleanup deletes the file, watchers see downloadUrl go away
create trigger tg_exports__notify_status after insert or update on exports
  for each row execute function tg__notify_job_status(
    'Export', 'status', 'row_count', 'error_message', 'attempts', 'file_id'
  );

-- the key that signs download links when SIGNING_SECRET is not set: one row, made by the first
-- process that needs it, so every API process (on any machine) signs and checks alike
create table signing_secrets (
  id boolean primary key default true,
  secret bytea not null,
  created_at timestamptz(3) not null default now(),
  constraint signing_secrets_one_row check (id)
);
