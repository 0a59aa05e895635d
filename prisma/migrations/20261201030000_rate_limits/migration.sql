-- counters of the rate limits (logIn/signUp per IP address and per account, operations per user),
-- shared by every API process. One row per key and fixed window: `hits` counted since
-- `window_start`, reset by the next hit once the window is over. Unlogged: a crash forgets the
-- counters, which only lets a client start afresh, and the rows of a table hit on every operation
-- write no WAL. No index but the key, so the counting upsert stays a HOT update.
create unlogged table rate_limits (
  key text primary key,
  window_start timestamptz not null,
  hits integer not null
);

comment on table rate_limits is 'Rate limit counters (src/auth/rateLimits.ts); rows of windows that are over are deleted by the purgeRateLimits task.';
