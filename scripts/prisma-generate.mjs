// Generates the Prisma client into src/generated/prisma (run by `npm install` and `npm run generate`).
// Prisma's CLI wants to download a schema-engine binary it never uses for `generate`; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops that, so installs work with only npm reachable.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import process from "node:process";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
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
