// `npm test`: Biome, the type-check and Vitest side by side. One after the other, the type-check
// (about 25 s, mostly one core) and Biome leave the machine's other core idle; beside the test run
// they cost almost no wall time. Vitest's output streams live; Biome's and the type-check's are
// printed when all are done. The exit code is the first non-zero of the three.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const vitest = join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
const biome = require.resolve("@biomejs/biome/bin/biome");
const TYPECHECK = [
  "--noEmit",
  "-p",
  "tsconfig.json",
  "--incremental",
  "--tsBuildInfoFile",
  "node_modules/.cache/typecheck.tsbuildinfo",
];

/** Runs a Node.js script; resolves with its exit code and, when captured, its output. */
function run(script, args, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", (error) => resolve({ code: 1, output: `${error.message}\n` }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const [lint, typecheck, tests] = await Promise.all([
  run(biome, ["check", "."], true),
  run(tsc, TYPECHECK, true),
  run(vitest, ["run", ...process.argv.slice(2)], false),
]);
process.stdout.write(lint.code === 0 ? "\nBiome: no problems.\n" : `\nBiome found problems:\n${lint.output}`);
process.stdout.write(
  typecheck.code === 0 ? "Type-check: no errors.\n" : `\nType-check failed:\n${typecheck.output}`,
);
process.exit([lint.code, typecheck.code, tests.code].find((code) => code !== 0) ?? 0);
