import path from "node:path";
import { coerceError } from "./lib.js";

/**
 * Settings from a `.env` file in the working directory, when there is one (README "Configuration"):
 * each `NAME=value` line sets `NAME` unless the environment already does, even to an empty string,
 * so the real environment always wins (the rules of `node --env-file`, Node's own parser).
 *
 * main.ts imports this module first, so the file is read before any other module (a library that
 * reads its environment on import, say) is evaluated. No file is no error; one that cannot be
 * read stops the process with exit code 2, as a bad setting does.
 */
export const ENV_FILE = ".env";

function readEnvFile(): string | undefined {
  try {
    process.loadEnvFile(ENV_FILE);
    return path.resolve(ENV_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    console.error(`xls-importer: could not read ${path.resolve(ENV_FILE)}: ${coerceError(err).message}`);
    process.exit(2);
  }
}

/** The absolute path of the `.env` file read, or `undefined` when there was none. */
export const envFileRead = readEnvFile();
