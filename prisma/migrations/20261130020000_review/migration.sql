-- a dry run waits for the user in NEEDS_REVIEW; a cancelled job ends CANCELLED
alter type job_status add value 'NEEDS_REVIEW' after 'PROCESSING';
alter type job_status add value 'CANCELLED';

-- an import keeps the template it started with: updateImportTemplate changes only later imports
alter table imports
  add column template_columns jsonb,
  add column decimal_separator decimal_separator,
  add column date_order date_order;
update imports i
  set template_columns = t.columns, decimal_separator = t.decimal_separator, date_order = t.date_order
  from import_templates t where t.id = i.template_id;
alter table imports
  alter column template_columns set not null,
  alter column decimal_separator set not null,
  alter column date_order set not null;

-- what the file's header row holds, and which of its columns fills each template column
alter table imports
  add column source_columns jsonb not null default '[]',
  add column mapping jsonb not null default '[]';
