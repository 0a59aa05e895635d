-- Key columns give a template one current dataset: a row whose key values are new creates a
-- record, one whose key exists with other values updates it, one with the same values leaves it.
-- Without key columns, `duplicates` says what happens to a row repeating an earlier row exactly.
create type duplicate_rows as enum ('IMPORT', 'SKIP', 'REJECT');
create type change_kind as enum ('CREATED', 'UPDATED', 'UNCHANGED');

alter table import_templates
  add column key_columns text[] not null default '{}',
  add column duplicates duplicate_rows not null default 'SKIP';

-- an import keeps the key columns and duplicates policy it started with, as it keeps its columns;
-- its counts of what it did (or, in review, would do) to the dataset
alter table imports
  add column key_columns text[] not null default '{}',
  add column duplicates duplicate_rows not null default 'SKIP',
  add column rows_created integer not null default 0,
  add column rows_updated integer not null default 0,
  add column rows_unchanged integer not null default 0,
  add column rows_duplicate integer not null default 0;

-- a keyed template's current dataset: one row per key (the key columns' values as a json object),
-- in the order the keys were first created
create table dataset_records (
  template_id uuid not null references import_templates (id) on delete cascade,
  key jsonb not null,
  data jsonb not null,
  seq bigserial not null,
  primary key (template_id, key)
);
create index dataset_records_template_id_seq_idx on dataset_records (template_id, seq);

-- what each row of an import did to its template's dataset (keyed imports, and dry runs), with the
-- values before (UPDATED only: an unchanged row's are its values after) and after; a saved import
-- without key columns only creates, and its records say so
create table import_changes (
  import_id uuid not null references imports (id) on delete cascade,
  row_number integer not null,
  kind change_kind not null,
  key jsonb,
  before jsonb,
  after jsonb not null,
  primary key (import_id, row_number)
);
create index import_changes_import_id_kind_row_number_idx on import_changes (import_id, kind, row_number);
