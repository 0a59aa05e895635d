import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase, migrateDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embeddedPostgres.js";
import { createLogger } from "../src/logger.js";
import { freePort } from "./helpers/freePort.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser connection string to the test server's `postgres`-like admin database. */
    adminUrl: string;
    /** A migrated database each test file clones its own database from. */
    templateDatabase: string;
  }
}

/**
 * Starts the test PostgreSQL (an embedded one unless TEST_DATABASE_URL is set) and migrates a
 * template database once; every test file then clones its own database from it.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger("silent");
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const dataDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-test-")), "postgres");
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger, ephemeral: true });
    adminUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await fs.rm(path.dirname(dataDir), { recursive: true, force: true });
    };
  }

  const templateDatabase = `xls_importer_template_${randomBytes(6).toString("hex")}`;
  const templateUrl = await ensureDatabase(adminUrl, templateDatabase);
  await migrateDatabase(templateUrl, logger);

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${admin.escapeIdentifier(templateDatabase)} with (force)`);
    await admin.end();
    await stopEmbedded?.();
  };
}
