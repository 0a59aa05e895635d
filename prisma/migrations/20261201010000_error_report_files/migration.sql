-- an import's error report (its rejected rows as an xlsx) is written once, in the run's own
-- transaction, and downloads stream it from this file: a slow reader holds a socket, never a
-- transaction. Imports whose rejected rows were saved before this column existed get theirs
-- written on their first download (openErrorReport.ts).
alter table imports add column error_report_file_id uuid references stored_files (id) on delete set null;
create index imports_error_report_file_id_idx on imports (error_report_file_id);

-- the deleteFailedImportFiles task looks for FAILED imports that still keep their file
create index imports_failed_file_idx on imports (processing_completed_at) where status = 'FAILED' and file_id is not null;

