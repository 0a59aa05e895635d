import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";
import { coerceError } from "../lib.js";

/**
 * Where the page's sources live: `main.ts` (bundled with what it imports), `app.css`, `index.html`.
 * Compiled (`node dist/main.js`), this module is a .js file and the same path is dist/src/web/,
 * where `npm run build` wrote the bundle (see {@link writeWebAssets}).
 */
const WEB_DIR = fileURLToPath(new URL("../web/", import.meta.url));
/** Whether we run compiled, without esbuild (a devDependency), rather than from source through tsx. */
const COMPILED = import.meta.url.endsWith(".js");

/**
 * The paths the page's router knows (src/web/main.ts); each gets the same HTML shell with 200.
 * Any other path but GraphQL's gets the shell with 404, and the router shows its not-found page.
 */
const PAGE_PATHS = [
  /^\/$/,
  /^\/signin$/,
  /^\/templates$/,
  /^\/templates\/[^/]+$/,
  /^\/jobs$/,
  /^\/jobs\/[^/]+$/,
  /^\/jobs\/[^/]+\/records$/,
  /^\/exports\/new$/,
];

/** Yoga's `graphqlEndpoint` (src/server/yoga.ts): the one path this module leaves alone. */
const GRAPHQL_PATH = "/graphql";

/** The bundled script and stylesheet (and the script's source map), under `/assets/`. */
const ASSET_PREFIX = "/assets/";

// a page may only talk to this server: no inline script, no other origin ('self' covers ws: to it)
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  // download links carry a signed token in their query string; it must not leak as a Referer
  "referrer-policy": "no-referrer",
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

function asset(name: string, body: Buffer | Uint8Array): Asset {
  const bytes = Buffer.from(body);
  const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`;
  return { body: bytes, type: CONTENT_TYPES[path.extname(name)] ?? "application/octet-stream", etag };
}

/**
 * Bundles the page with esbuild, in memory. From source it is built when the server first serves it
 * rather than at `npm install`: like the server's own TypeScript (run by tsx), the page then has no
 * build step and no build output that can go stale, and the few hundred milliseconds are paid once
 * per process. The production build (scripts/build.ts) calls this once and writes the result out.
 */
export async function buildWebAssets(): Promise<Map<string, Asset>> {
  // imported here, not at the top: the compiled server never bundles, and has no esbuild
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [
      { in: path.join(WEB_DIR, "main.ts"), out: "app" },
      { in: path.join(WEB_DIR, "app.css"), out: "app" },
    ],
    outdir: ASSET_PREFIX,
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "silent",
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) assets.set(file.path, asset(file.path, file.contents));
  assets.set("shell", asset("index.html", await readFile(path.join(WEB_DIR, "index.html"))));
  return assets;
}

/** Writes {@link buildWebAssets}' output to `dir` as `index.html` and `assets/<name>`. */
export async function writeWebAssets(assets: Map<string, Asset>, dir: string): Promise<void> {
  await mkdir(path.join(dir, ASSET_PREFIX), { recursive: true });
  for (const [name, { body }] of assets) {
    await writeFile(path.join(dir, name === "shell" ? "index.html" : name), body);
  }
}

/** Reads what {@link writeWebAssets} wrote, keyed as {@link buildWebAssets} keys it. */
async function readWebAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of await readdir(path.join(dir, ASSET_PREFIX))) {
    assets.set(`${ASSET_PREFIX}${name}`, asset(name, await readFile(path.join(dir, ASSET_PREFIX, name))));
  }
  assets.set("shell", asset("index.html", await readFile(path.join(dir, "index.html"))));
  return assets;
}

let built: Promise<Map<string, Asset>> | undefined;

function webAssets(): Promise<Map<string, Asset>> {
  // a failed build is not kept, so fixing the source and reloading is enough
  built ??= (COMPILED ? readWebAssets(WEB_DIR) : buildWebAssets()).catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}

/**
 * Whether the web page answers this path: every path but GraphQL's. The HTTP server asks after
 * health checks and downloads, so what reaches here is a page, an asset, or a path nobody serves,
 * which gets a real 404 page rather than a bare "Not found".
 */
export function isWebPath(urlPath: string): boolean {
  return urlPath !== GRAPHQL_PATH && !urlPath.startsWith(`${GRAPHQL_PATH}/`);
}

/**
 * Serves the page: the HTML shell for every page path (the script picks the page), and the
 * bundle under `/assets/`. Everything is revalidated by ETag (`no-cache`), so a restarted server
 * with a new bundle is picked up at once and an unchanged one costs a 304. Unknown paths get the
 * shell with 404, whose script shows the not-found page with a link home.
 */
export async function serveWebPage(req: IncomingMessage, res: ServerResponse, urlPath: string, logger: Logger) {
  const isAsset = urlPath.startsWith(ASSET_PREFIX);
  const isPage = PAGE_PATHS.some((pattern) => pattern.test(urlPath));
  if (!isAsset && !isPage && req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(404, { "content-type": "text/plain", "cache-control": "no-store" });
    return void res.end("Not found.");
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
    return void res.end("Use GET.");
  }
  let assets: Map<string, Asset>;
  try {
    assets = await webAssets();
  } catch (err) {
    logger.error(
      { err: coerceError(err) },
      COMPILED ? "could not read the built web page" : "could not build the web page",
    );
    res.writeHead(500, { "content-type": "text/plain", "cache-control": "no-store" });
    return void res.end("The web page could not be built; the server log says why.");
  }
  const found = isAsset ? assets.get(urlPath) : assets.get("shell");
  if (!found) {
    res.writeHead(404, { "content-type": "text/plain", "cache-control": "no-store" });
    return void res.end("Not found.");
  }
  if (!isPage && !isAsset) {
    // not revalidated: a 304 would turn a missing page into a cached one
    res.writeHead(404, { "content-type": found.type, "cache-control": "no-store", ...SECURITY_HEADERS });
    return void res.end(req.method === "HEAD" ? undefined : found.body);
  }
  const headers = { "content-type": found.type, "cache-control": "no-cache", etag: found.etag, ...SECURITY_HEADERS };
  if (req.headers["if-none-match"] === found.etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, "content-length": found.body.length });
  res.end(req.method === "HEAD" ? undefined : found.body);
}
