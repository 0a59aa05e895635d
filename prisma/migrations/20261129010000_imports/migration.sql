create type job_status as enum ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED');
create type import_phase as enum ('QUEUED', 'PARSING', 'VALIDATING', 'SAVING', 'DONE');

-- what a spreadsheet must look like: columns is a json array of {key, header, type, required}.
-- templates are soft-deleted so the imports made with them keep showing what they were.
create table import_templates (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  columns jsonb not null,
  created_at timestamptz(3) not null default now(),
  deleted_at timestamptz(3)
);
create index import_templates_user_id_idx on import_templates (user_id, created_at);

-- uploaded files live in the database, in chunks, so any worker on any machine can read them
create table stored_files (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  size bigint not null,
  created_at timestamptz(3) not null default now()
);
create index stored_files_user_id_idx on stored_files (user_id);

create table stored_file_chunks (
  file_id uuid not null references stored_files (id) on delete cascade,
  seq integer not null,
  data bytea not null,
  primary key (file_id, seq)
);

create table imports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  template_id uuid not null references import_templates (id),
  status job_status not null default 'PENDING',
  phase import_phase not null default 'QUEUED',
  file_name text not null,
  file_size integer not null,
  file_type text not null,
  -- null once the import has completed and its file was deleted
  file_id uuid references stored_files (id) on delete set null,
  rows_total integer,
  rows_processed integer not null default 0,
  rows_imported integer not null default 0,
  rows_failed integer not null default 0,
  error_message text,
  background_job_id text,
  attempts integer not null default 0,
  processing_started_at timestamptz(3),
  processing_completed_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create index imports_user_id_created_at_idx on imports (user_id, created_at desc, id desc);
create index imports_template_id_idx on imports (template_id);

-- clock_timestamp(), not now(): a long import's final update must carry the time it was made, not
-- the time its transaction began, so "what changed since t" questions get the right answer
create function tg__set_updated_at() returns trigger as $$
begin
  new.updated_at = clock_timestamp();
  return new;
end;
$$ language plpgsql;
comment on function tg__set_updated_at() is 'Keeps updated_at current on every update, whoever makes it.';

create trigger tg_imports__set_updated_at before update on imports
  for each row execute function tg__set_updated_at();

-- one row per problem in a rejected spreadsheet row
create table import_row_errors (
  id bigint generated always as identity primary key,
  import_id uuid not null references imports (id) on delete cascade,
  row_number integer not null,
  "column" text,
  message text not null,
  value text
);
create index import_row_errors_import_id_idx on import_row_errors (import_id, row_number, id);

-- the rows of rejected spreadsheet rows as they were uploaded (header -> text), for the error report
create table import_rejected_rows (
  import_id uuid not null references imports (id) on delete cascade,
  row_number integer not null,
  raw jsonb not null,
  primary key (import_id, row_number)
);

-- imported rows, keyed by template column key; the primary key makes a re-run unable to duplicate rows
create table records (
  import_id uuid not null references imports (id) on delete cascade,
  row_number integer not null,
  data jsonb not null,
  -- the only index: a second (an identity key) cost a quarter of the insert time in a 100k-row test
  constraint records_pkey primary key (import_id, row_number)
);

-- every change a watcher cares about is announced on one channel, whoever makes it (the API, a
-- worker, a person at psql); NOTIFY is sent on commit, so a rolled-back change announces nothing.
-- The payload stays tiny (far under NOTIFY's 8000 bytes): listeners read the row itself.
-- Arguments: the job kind, then the columns whose changes are announced.
create function tg__notify_job_status() returns trigger as $$
declare
  v_new jsonb := to_jsonb(new);
  v_old jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  v_column text;
begin
  foreach v_column in array tg_argv[1:] loop
    if v_old is null or v_new -> v_column is distinct from v_old -> v_column then
      perform pg_notify(
        'job_status',
        json_build_object('kind', tg_argv[0], 'id', new.id, 'userId', new.user_id, 'status', new.status)::text
      );
      return null;
    end if;
  end loop;
  return null;
end;
$$ language plpgsql;
comment on function tg__notify_job_status() is
  'NOTIFYs job_status with {kind, id, userId, status} on insert, and on updates that change one of the listed columns.';

create trigger tg_imports__notify_status after insert or update on imports
  for each row execute function tg__notify_job_status(
    'Import', 'status', 'phase', 'rows_total', 'rows_processed', 'rows_imported', 'rows_failed', 'error_message'
  );
