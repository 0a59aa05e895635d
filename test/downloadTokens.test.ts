import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOWNLOAD_LINK_TTL_MS, signDownload, signedPath, verifyDownload } from "../src/auth/downloadTokens.js";
import { signingSecret } from "../src/auth/signingSecret.js";
import { loadConfig } from "../src/config.js";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";

const secret = Buffer.alloc(32, 7);
const id = "0b8a3d6e-2f1c-4c47-9a4e-5d2a1f0e9c11";
const inAMinute = () => new Date(Date.now() + 60_000);

describe("download tokens", () => {
  it("open exactly one thing for one purpose until they expire", () => {
    const token = signDownload(secret, "export", id, inAMinute());
    expect(verifyDownload(secret, "export", id, token)).toBe(true);
    expect(verifyDownload(secret, "export", id.toUpperCase(), token)).toBe(true); // the same uuid
    expect(verifyDownload(secret, "import-errors", id, token)).toBe(false);
    expect(verifyDownload(secret, "export", "1b8a3d6e-2f1c-4c47-9a4e-5d2a1f0e9c11", token)).toBe(false);
    expect(verifyDownload(Buffer.alloc(32, 8), "export", id, token)).toBe(false);
    expect(verifyDownload(secret, "export", id, token, Date.now() + 61_000)).toBe(false);
    const [expires, mac] = token.split(".");
    expect(verifyDownload(secret, "export", id, `${Number(expires) + 3600}.${mac}`)).toBe(false);
    for (const junk of ["", ".", "abc", `${expires}.`, `${expires}.${mac}x`, `-1.${mac}`]) {
      expect(verifyDownload(secret, "export", id, junk)).toBe(false);
    }
  });

  it("make links that last 15 minutes at most, and never past a limit", () => {
    const now = Date.now();
    const expiry = (path: string) => Number(/\?token=(\d+)\./.exec(path)![1]) * 1000;
    const path = signedPath(secret, "export", id, `/exports/${id}/download`, null, now);
    expect(path.startsWith(`/exports/${id}/download?token=`)).toBe(true);
    expect(expiry(path)).toBeLessThanOrEqual(now + DOWNLOAD_LINK_TTL_MS);
    expect(expiry(path)).toBeGreaterThan(now + DOWNLOAD_LINK_TTL_MS - 1_000);
    const limit = new Date(now + 60_000);
    expect(expiry(signedPath(secret, "export", id, "/x", limit, now))).toBeLessThanOrEqual(limit.getTime());
  });
});

describe("the signing secret", () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 4; i++) pools.push(new pg.Pool({ connectionString: database.url }));
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.drop();
  });

  it("is created once in the database and shared by every process, even when they start together", async () => {
    const secrets = await Promise.all(pools.map((pool) => signingSecret(pool, undefined)));
    expect(secrets[0]!.length).toBe(32);
    for (const other of secrets) expect(other.equals(secrets[0]!)).toBe(true);
    const { rows } = await pools[0]!.query("select secret from signing_secrets");
    expect(rows).toHaveLength(1);
    expect((rows[0].secret as Buffer).equals(secrets[0]!)).toBe(true);
  });

  it("is SIGNING_SECRET when set, which must be long enough", async () => {
    const configured = "a".repeat(32);
    expect((await signingSecret(pools[0]!, configured)).toString()).toBe(configured);
    expect(loadConfig({ SIGNING_SECRET: configured }, []).signingSecret).toBe(configured);
    expect(loadConfig({}, []).signingSecret).toBeUndefined();
    expect(() => loadConfig({ SIGNING_SECRET: "short" }, [])).toThrow(/at least 32 characters/);
    expect(loadConfig({}, []).exportTtlHours).toBe(24);
    expect(loadConfig({ EXPORT_TTL_HOURS: "2" }, []).exportTtlHours).toBe(2);
  });
});
