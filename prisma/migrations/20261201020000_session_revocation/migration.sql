-- a deleted session (logOut, its user deleted, an operator's delete) is announced, so every API
-- process closes the sockets and SSE streams still open on it at once, not at their next operation.
-- NOTIFY is sent on commit: a rolled-back delete announces nothing. The payload is the session id.
create function tg_sessions__notify_revoked() returns trigger as $$
begin
  perform pg_notify('session_revoked', old.id::text);
  return null;
end;
$$ language plpgsql;
comment on function tg_sessions__notify_revoked() is
  'NOTIFYs session_revoked with the id of each deleted session.';

create trigger tg_sessions__notify_revoked after delete on sessions
  for each row execute function tg_sessions__notify_revoked();
