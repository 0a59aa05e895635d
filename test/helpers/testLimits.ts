/**
 * Limits raised for every server the tests start (in-process or spawned), so tests about other
 * things — which sign up many users from 127.0.0.1, or upload many files at once — never meet
 * them. The tests of each limit set it back low in their own `env`.
 */
export const TEST_LIMITS: NodeJS.ProcessEnv = {
  AUTH_RATE_LIMIT_PER_MINUTE: "100000",
  REQUEST_BUDGET_PER_MINUTE: "1000000",
  MAX_CONCURRENT_UPLOADS_PER_USER: "1000",
};
