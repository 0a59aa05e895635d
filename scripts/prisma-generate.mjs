// Generates the Prisma client into src/generated/prisma (run by `npm install`, `npm run generate` and
// `npm run build`).
// Prisma's CLI wants to download a schema-engine binary it never uses for `generate`; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops that, so installs work with only npm reachable.
import { spawnSync } from "node:child_process";
import console from "node:console";
import { createRequire } from "node:module";
import process from "node:process";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  // `npm ci --omit=dev` installs no CLI (a devDependency): nothing to generate with, and nothing to
  // generate for, since a production build (dist/) has the client compiled in. Anywhere else
  // (`npm run generate`, `npm run build`) a missing CLI is an error.
  if (process.env.npm_lifecycle_event === "postinstall") {
    console.log("prisma-generate: the Prisma CLI is not installed (--omit=dev); not generating src/generated/prisma");
    process.exit(0);
  }
  console.error("prisma-generate: the Prisma CLI is not installed; run `npm install` (it is a devDependency)");
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  stdio: "inherit",
  env: {
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    ...process.env,
  },
});
process.exit(result.status ?? 1);
