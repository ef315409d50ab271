#!/usr/bin/env node
// Runs the CLI compiled at install time (dist/cli, by `npm run build:cli`, which `prepare` runs on
// npm install and npm ci) when it is there and no older than the sources, so a command starts no
// TypeScript loader. A fresh clone before the build, a build older than an edited source, or
// SHIPLINE_CLI_FROM_SOURCE=1 runs the TypeScript sources through tsx: slower, always current.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/cli/main.mjs", import.meta.url);
const sources = fileURLToPath(new URL("../functions/", import.meta.url));

/** The newest modification time of the TypeScript files under a directory. */
function newestSource(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = `${directory}${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(`${path}/`));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  if (process.env.SHIPLINE_CLI_FROM_SOURCE === "1") return false;
  try {
    return statSync(compiled).mtimeMs >= newestSource(sources);
  } catch {
    return false;
  }
}

async function loadMain() {
  if (compiledIsCurrent()) return import(compiled.href);
  const { register } = await import("tsx/esm/api");
  register();
  return import("../functions/local/cli/main.ts");
}

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
