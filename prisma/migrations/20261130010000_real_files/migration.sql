-- how a template reads numbers and dates written as text; real number and date cells need neither
create type decimal_separator as enum ('DOT', 'COMMA');
create type date_order as enum ('DMY', 'MDY', 'YMD');

alter table import_templates
  add column decimal_separator decimal_separator not null default 'DOT',
  add column date_order date_order not null default 'YMD';

-- what the uploader asked for (ImportOptions), and what the reader found in the file
alter table imports
  add column options jsonb not null default '{}',
  add column sheet_name text,
  add column sheets text[] not null default '{}',
  add column header_row integer,
  add column encoding text,
  add column delimiter text;
