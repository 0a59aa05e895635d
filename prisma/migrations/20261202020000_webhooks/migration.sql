-- webhooks: a user's endpoints, told when their jobs end (src/webhooks/). The events are the job
-- statuses a client waits for; deliveries are queued by the trigger below, in the transaction that
-- changes the status, so an event is delivered if and only if its change commits.
create type webhook_event as enum ('JOB_COMPLETED', 'JOB_FAILED', 'JOB_NEEDS_REVIEW', 'JOB_CANCELLED');
create type webhook_delivery_status as enum ('PENDING', 'SUCCEEDED', 'FAILED');

create table webhooks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  url text not null,
  events webhook_event[] not null,
  -- the HMAC key, shown to the user once as whsec_<base64>; kept as is, since signing needs it
  secret bytea not null,
  created_at timestamptz(3) not null default now(),
  -- set when the receiver answered 410 Gone: nothing more is queued for it
  disabled_at timestamptz(3)
);
create index webhooks_user_id_idx on webhooks (user_id, created_at desc, id desc);

-- one event for one webhook, and how its delivery went. payload is the exact body sent (json, not
-- jsonb: its text, key order included, is kept as written), the same on every attempt
create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  webhook_id uuid not null references webhooks (id) on delete cascade,
  event webhook_event not null,
  job_kind text not null,
  job_id uuid not null,
  payload json not null,
  status webhook_delivery_status not null default 'PENDING',
  attempt_count integer not null default 0,
  -- [{ at, statusCode, error, durationMs }], one per attempt (at most the retry schedule's length)
  attempts jsonb not null default '[]',
  last_status_code integer,
  last_error text,
  created_at timestamptz(3) not null default now(),
  delivered_at timestamptz(3),
  next_attempt_at timestamptz(3)
);
create index webhook_deliveries_webhook_id_idx on webhook_deliveries (webhook_id, created_at desc, id desc);
create index webhook_deliveries_job_id_idx on webhook_deliveries (job_id);

create function enqueue_webhook_deliveries(p_user_id uuid, p_kind text, p_status job_status, p_data json)
returns void as $$
declare
  v_event webhook_event := ('JOB_' || p_status::text)::webhook_event;
  v_payload json := json_build_object(
    'type', 'job.' || lower(p_status::text),
    'timestamp', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'data', p_data
  );
  v_delivery record;
begin
  for v_delivery in
    insert into webhook_deliveries (webhook_id, event, job_kind, job_id, payload, next_attempt_at)
    select w.id, v_event, p_kind, (p_data ->> 'id')::uuid, v_payload, now()
    from webhooks w
    where w.user_id = p_user_id and w.disabled_at is null and v_event = any (w.events)
    returning id
  loop
    -- one queue per user: a user's deliveries take one worker at a time, however many hang
    perform graphile_worker.add_job(
      'deliverWebhook',
      json_build_object('deliveryId', v_delivery.id),
      queue_name := 'webhooks:' || p_user_id::text,
      max_attempts := 3
    );
  end loop;
end;
$$ language plpgsql;
comment on function enqueue_webhook_deliveries(uuid, text, job_status, json) is
  'Records a delivery of the job event for each of the user''s webhooks that asked for it, and queues its deliverWebhook job.';

-- every place a job ends (a worker's run, its last failed attempt, a cancel, the crash sweep, a
-- person at psql) changes the status column: one trigger sees them all
create function tg_imports__enqueue_webhooks() returns trigger as $$
begin
  perform enqueue_webhook_deliveries(new.user_id, 'Import', new.status, json_build_object(
    'id', new.id,
    'kind', 'Import',
    'status', new.status,
    'templateId', new.template_id,
    'fileName', new.file_name,
    'rowsTotal', new.rows_total,
    'rowsImported', new.rows_imported,
    'rowsFailed', new.rows_failed,
    'rowsCreated', new.rows_created,
    'rowsUpdated', new.rows_updated,
    'rowsUnchanged', new.rows_unchanged,
    'rowsDuplicate', new.rows_duplicate,
    'errorMessage', new.error_message
  ));
  return null;
end;
$$ language plpgsql;
comment on function tg_imports__enqueue_webhooks() is
  'Queues webhook deliveries for an import that reached COMPLETED, FAILED, NEEDS_REVIEW or CANCELLED.';

create trigger tg_imports__enqueue_webhooks after update of status on imports
  for each row
  when (old.status is distinct from new.status and new.status in ('COMPLETED', 'FAILED', 'NEEDS_REVIEW', 'CANCELLED'))
  execute function tg_imports__enqueue_webhooks();

create function tg_exports__enqueue_webhooks() returns trigger as $$
begin
  perform enqueue_webhook_deliveries(new.user_id, 'Export', new.status, json_build_object(
    'id', new.id,
    'kind', 'Export',
    'status', new.status,
    'templateId', new.template_id,
    'importId', new.import_id,
    'format', new.format,
    'rowCount', new.row_count,
    'errorMessage', new.error_message
  ));
  return null;
end;
$$ language plpgsql;
comment on function tg_exports__enqueue_webhooks() is
  'Queues webhook deliveries for an export that reached COMPLETED, FAILED or CANCELLED.';

create trigger tg_exports__enqueue_webhooks after update of status on exports
  for each row
  when (old.status is distinct from new.status and new.status in ('COMPLETED', 'FAILED', 'NEEDS_REVIEW', 'CANCELLED'))
  execute function tg_exports__enqueue_webhooks();
