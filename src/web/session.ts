const TOKEN_KEY = "xls-importer.token";
const EMAIL_KEY = "xls-importer.email";

/**
 * The signed-in person, kept in localStorage so they can close the tab and come back to their
 * jobs (the token lives for SESSION_TTL_HOURS on the server).
 */
export const session = {
  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  get email(): string | null {
    return localStorage.getItem(EMAIL_KEY);
  },
  save(token: string, email: string): void {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(EMAIL_KEY, email);
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(EMAIL_KEY);
  },
};
