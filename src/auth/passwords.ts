import { hash, verify } from "@node-rs/argon2";

export const MIN_PASSWORD = 8;
/** argon2 hashes whatever it is given; a cap keeps one request from costing seconds of CPU. */
export const MAX_PASSWORD = 1024;

/** Argon2id (the library's default algorithm) with its default cost: 19 MiB, 2 passes, as OWASP recommends. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A hash of a password nobody has, verified when the email is unknown so timing does not tell. */
let decoy: Promise<string> | undefined;

/** Checks `password` against `passwordHash`, or spends the same time failing when there is none. */
export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    decoy ??= hashPassword("decoy password that no account has");
    await verify(await decoy, password);
    return false;
  }
  return verify(passwordHash, password);
}

/**
 * The passwords of zxcvbn-ts's common list (about 49,000, from leaked password dumps) long enough
 * to pass the length rule, lower-cased: loaded on the first sign-up, not at start. Measured: the
 * first check takes 65-105 ms and keeps 3 MiB of heap (the package's other lists come with it);
 * later ones take about 1 µs.
 */
let commonPasswords: Promise<ReadonlySet<string>> | undefined;

function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) =>
      new Set(
        dictionary["passwords-common"]
          .filter((password) => password.length >= MIN_PASSWORD)
          .map((password) => password.toLowerCase()),
      ),
  );
  return commonPasswords;
}

/**
 * Why `password` may not be a new account's, or undefined when it may: too long, only whitespace,
 * fewer than 8 visible characters, or on the list of the most common passwords (whatever its case, and spaces around
 * it), which guessing attacks try first. A list, not zxcvbn's score: a person can be told why
 * exactly, and a passphrase of common words is still accepted.
 */
export async function newPasswordProblem(password: string): Promise<string | undefined> {
  if (password.length > MAX_PASSWORD) return `Password must be at most ${MAX_PASSWORD} characters.`;
  // judged as a person sees it: compatibility forms folded (full-width letters, ideographic
  // spaces), and characters that show nothing (zero-width spaces, joiners) dropped
  const seen = password.normalize("NFKC").replace(/\p{Default_Ignorable_Code_Point}/gu, "");
  if (seen.trim() === "") return "Password cannot be only spaces; choose one with letters, digits or symbols.";
  if ([...seen].length < MIN_PASSWORD) return `Password must be at least ${MIN_PASSWORD} characters.`;
  if ((await loadCommonPasswords()).has(seen.trim().toLowerCase())) {
    return "This password is one of the most common; choose another.";
  }
  return undefined;
}
