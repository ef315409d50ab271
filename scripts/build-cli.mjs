// `npm run build:cli`, and `prepare` (which `npm install` and `npm ci` run): compiles the `shipline`
// CLI from its TypeScript sources into dist/cli (git-ignored) with esbuild, so that a command does
// not start a TypeScript loader at every call. One entry, split into chunks: each command (and the
// AWS SDK, git, the local platform behind it) is a chunk of its own, loaded only when that command
// runs, so `shipline --help` reads a few kilobytes. bin/shipline.mjs runs this output when it is
// there and newer than the sources, and the sources through tsx otherwise.
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// --outdir: somewhere else than dist/cli, for a test that builds without touching the real one.
const { values } = parseArgs({ options: { outdir: { type: "string" } } });
const out = values.outdir === undefined ? join(root, "dist", "cli") : resolve(values.outdir);
const staging = `${out}.${process.pid}.tmp`;

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  // An install without devDependencies: the CLI runs from its sources through tsx, only slower.
  process.stderr.write(
    "build:cli: esbuild is not installed; shipline will run from its TypeScript sources\n",
  );
  process.exit(0);
}

const started = performance.now();
await rm(staging, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: "functions/local/cli/main.ts" },
  outdir: staging,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // package.json's engines: the CLI and the local runtime run on Node.js 20.19 and later.
  target: "node20.19",
  // CommonJS dependencies call require() for Node's built-ins, which an ES module lacks.
  banner: {
    js: "import { createRequire as __shiplineCreateRequire } from 'node:module'; const require = __shiplineCreateRequire(import.meta.url);",
  },
  legalComments: "none",
  logLevel: "warning",
});
await writeFile(
  join(staging, "build-info.json"),
  `${JSON.stringify({ builtAt: new Date().toISOString(), node: process.version }, null, 2)}\n`,
);
// Swapped in whole, so that a shipline running meanwhile never sees half a build.
await rm(out, { recursive: true, force: true });
await rename(staging, out);
process.stdout.write(`build:cli: ${out} in ${Math.round(performance.now() - started)} ms\n`);
