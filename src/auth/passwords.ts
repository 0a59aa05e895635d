import { hash, verify } from "@node-rs/argon2";

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
