-- API keys: bearer tokens for machines, made by createApiKey and acting with their user's rights
-- (src/auth/apiKeys.ts). As for sessions, only a sha-256 of the secret is stored, so a leaked
-- table grants nothing; the user sees the secret once. hint (xik_… and the secret's last four
-- characters) tells which key a secret found somewhere is.
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  key_hash bytea not null,
  hint text not null,
  created_at timestamptz(3) not null default now(),
  -- null: the key works until it is revoked
  expires_at timestamptz(3),
  -- when it last authenticated a request or a connection, to the minute (it is written at most
  -- once a minute per key)
  last_used_at timestamptz(3),
  constraint api_keys_key_hash_key unique (key_hash),
  constraint api_keys_name_length check (char_length(name) between 1 and 100)
);
create index api_keys_user_id_idx on api_keys (user_id, created_at desc, id desc);

-- a deleted key (revokeApiKey, its user deleted, an operator's delete) is announced on the channel
-- revoked sessions use: every API process closes the sockets and SSE streams still open on it at
-- once. Key and session ids are both gen_random_uuid(), so one id names one or the other. NOTIFY
-- is sent on commit: a rolled-back delete announces nothing.
create function tg_api_keys__notify_revoked() returns trigger as $$
begin
  perform pg_notify('session_revoked', old.id::text);
  return null;
end;
$$ language plpgsql;
comment on function tg_api_keys__notify_revoked() is
  'NOTIFYs session_revoked with the id of each deleted API key.';

create trigger tg_api_keys__notify_revoked after delete on api_keys
  for each row execute function tg_api_keys__notify_revoked();
