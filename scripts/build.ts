// The production build (`npm run build`, README "Production"): compiles the server to dist/ for
// `node dist/main.js`, which needs neither tsx nor esbuild nor TypeScript.
//
// dist/ mirrors the repository (dist/src/…, dist/tasks/…, dist/prisma/migrations/…), one .js per
// .ts, so every path a module finds relative to its own URL (the migrations, the file reader's
// entry, the web page) means the same thing compiled as it does from source. esbuild compiles each
// file on its own, as tsx does for `npm start` (the types are `npm run typecheck`'s job): the whole
// build takes about a second, against 14 s of CPU for tsc's emit. The web page is bundled here, once,
// with the options the server uses from source (buildWebAssets), instead of at its first request.
//
//   tsx scripts/build.ts [--outdir <dir>]   (default dist; the directory is replaced)
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";
import { buildWebAssets, writeWebAssets } from "../src/server/webPages.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The first line of dist/main.js: how a rebuild knows the directory it replaces is a build. */
const BANNER = "// xls-importer production build";
/** The oldest Node the server supports (package.json `engines`): esbuild lowers nothing it has. */
const TARGET = "node20.19";

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } });
const outdir = path.resolve(values.outdir);

/** Every file under `dir` (relative to the repository), skipping `skip` (a directory). */
async function filesUnder(dir: string, skip?: string): Promise<string[]> {
  const names = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return names
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => !skip || !file.startsWith(`${skip}${path.sep}`));
}

/** Replaces `outdir` only if it is empty or an earlier build: `--outdir src` must not wipe the sources. */
async function clearOutdir() {
  if (!path.relative(outdir, ROOT).startsWith("..")) {
    throw new Error(`--outdir ${outdir} contains the repository; choose a directory of its own`);
  }
  if (!existsSync(outdir)) return;
  const entries = await readdir(outdir);
  const main = path.join(outdir, "main.js");
  const earlierBuild = existsSync(main) && (await readFile(main, "utf8")).startsWith(BANNER);
  if (entries.length > 0 && !earlierBuild) {
    throw new Error(`${outdir} is not empty and is not an earlier build; not replacing it`);
  }
  await rm(outdir, { recursive: true, force: true });
}

const started = performance.now();
if (!existsSync(path.join(ROOT, "src/generated/prisma/client.ts"))) {
  throw new Error("src/generated/prisma is missing: run `node scripts/prisma-generate.mjs` (npm run build does)");
}
await clearOutdir();

const common = {
  absWorkingDir: ROOT,
  outdir,
  outbase: ".",
  platform: "node",
  format: "esm",
  target: TARGET,
  // `NODE_OPTIONS=--enable-source-maps` turns stack traces' positions back into the .ts files'
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
} satisfies esbuild.BuildOptions;

// the server and its tasks; the Prisma client and the page (src/web) are bundled below
const GENERATED = path.join("src", "generated", "prisma");
const sources = [...(await filesUnder("src", path.join("src", "web"))), ...(await filesUnder("tasks"))];
const isTypeScript = (file: string) => file.endsWith(".ts") && !file.endsWith(".d.ts");
const own = sources.filter((file) => isTypeScript(file) && !file.startsWith(`${GENERATED}${path.sep}`));
await esbuild.build({ ...common, entryPoints: own });

// the generated Prisma client, bundled with its runtime from @prisma/client, which is therefore a
// devDependency: installed, it keeps the Prisma CLI (its optional peer) in `npm prune --omit=dev`'s
// node_modules, and with it some 300 MB. Each generated module keeps its path; what they share
// (the runtime, its query compiler) goes into chunks beside them. Under Node's "node" export
// condition the runtime is CommonJS, whose require() of Node's modules an ES module must provide.
const generated = sources.filter((file) => isTypeScript(file) && file.startsWith(`${GENERATED}${path.sep}`));
await esbuild.build({
  ...common,
  entryPoints: generated,
  bundle: true,
  splitting: true,
  chunkNames: `${GENERATED}/chunks/[name]-[hash]`,
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "bundle only @prisma/client and its one dependency",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, ({ path: specifier }) =>
          /^@prisma\/client(-runtime-utils)?(\/|$)/.test(specifier) ? undefined : { external: true },
        );
      },
    },
  ],
});
// anything else a module might read beside itself (there is nothing today)
for (const file of sources.filter((f) => !f.endsWith(".ts"))) {
  await mkdir(path.dirname(path.join(outdir, file)), { recursive: true });
  await copyFile(path.join(ROOT, file), path.join(outdir, file));
}

// the migrations, read by src/db/migrate.ts from ../../prisma/migrations
for (const file of await filesUnder(path.join("prisma", "migrations"))) {
  await mkdir(path.dirname(path.join(outdir, file)), { recursive: true });
  await copyFile(path.join(ROOT, file), path.join(outdir, file));
}

// the web page, where src/server/webPages.ts looks for it when compiled (dist/src/web/)
await writeWebAssets(await buildWebAssets(), path.join(outdir, "src", "web"));

await writeFile(path.join(outdir, "main.js"), `${BANNER} (README "Production")\nimport "./src/main.js";\n`);

console.log(
  `built ${own.length} modules, the Prisma client, the web page and the migrations into ${path.relative(process.cwd(), outdir) || "."} ` +
    `in ${Math.round(performance.now() - started)} ms`,
);
