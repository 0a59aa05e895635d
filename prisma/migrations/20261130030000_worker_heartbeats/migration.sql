-- every worker process says it is alive every few seconds; a worker silent for longer than
-- WORKER_DEAD_AFTER_SECONDS is taken for dead, and any worker's sweep releases its jobs
create table worker_heartbeats (
  id uuid primary key default gen_random_uuid(),
  -- what graphile-worker writes to a job's locked_by while this process runs it (0.17: the pool's id)
  worker_ids text[] not null,
  pid integer not null,
  host text not null,
  started_at timestamptz(3) not null default now(),
  last_seen timestamptz(3) not null default now()
);
comment on table worker_heartbeats is
  'One row per running worker process, refreshed every few seconds and removed on a clean stop; a stale row is a crashed worker.';

-- how often a run of the job was ended by its worker dying: the second time, the job ends FAILED
alter table imports add column crashes integer not null default 0;
alter table exports add column crashes integer not null default 0;

-- the sweep looks for jobs left PROCESSING every few seconds: only those, not every row
create index imports_processing_idx on imports (id) where status = 'PROCESSING';
create index exports_processing_idx on exports (id) where status = 'PROCESSING';
