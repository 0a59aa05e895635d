-- An upload streams in chunk by chunk, each chunk in a statement of its own, so no connection or
-- transaction is held while a client sends: its file is unfinished until the transaction that
-- creates its import marks it finished. Unfinished files are the uploads in progress (counted for
-- MAX_CONCURRENT_UPLOADS_PER_USER) and, once past the upload deadline, what the sweep deletes.
alter table stored_files add column finished boolean not null default true;

create index stored_files_unfinished_idx on stored_files (user_id, created_at) where not finished;
