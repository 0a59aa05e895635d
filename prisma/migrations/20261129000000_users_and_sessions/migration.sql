-- people who sign in; emails are stored lower-cased so uniqueness ignores case
create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text not null,
  created_at timestamptz(3) not null default now(),
  constraint users_email_key unique (email),
  constraint users_email_lower check (email = lower(email))
);

-- bearer tokens: only a sha-256 of the token is stored, so a leaked table grants nothing
create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null,
  created_at timestamptz(3) not null default now(),
  expires_at timestamptz(3) not null,
  constraint sessions_token_hash_key unique (token_hash)
);
create index sessions_user_id_idx on sessions (user_id);
create index sessions_expires_at_idx on sessions (expires_at);
