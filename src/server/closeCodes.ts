/**
 * Every close code our graphql-ws server sends, in one place. They follow graphql-ws's own
 * (`CloseCode` in graphql-ws/common): 4403 is its Forbidden, 4408 a timeout, 4429 "too many".
 * graphql-ws clients retry after 4403 and 4408 (with their connectionParams read again), but not
 * after 4429: a client refused for having too many sockets should not knock again at once.
 */
export const CLOSE_CODES = {
  /** The connection's session was revoked (`logOut` included) or expired, or its token was rejected at `connection_init`. */
  sessionEnded: { code: 4403, reason: "Forbidden: the session has ended" },
  /** A socket without a signed-in user that had no open operation for `ANONYMOUS_SOCKET_IDLE_SECONDS`. */
  idle: { code: 4408, reason: "Idle timeout" },
  /** Past `MAX_SOCKETS_PER_USER`, or `MAX_ANONYMOUS_SOCKETS_PER_IP` (counted from the upgrade on). */
  tooManySockets: { code: 4429, reason: "Too many sockets" },
  /** No database connection came free for `connection_init` within `DATABASE_POOL_WAIT_SECONDS`: 1013 Try Again Later, which clients retry. */
  busy: { code: 1013, reason: "Try again later: the service is busy" },
} as const;
