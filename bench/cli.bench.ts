/**
 * Start-up benchmark of the `shipline` CLI (`npm run bench:cli`, not part of `npm test`).
 *
 * It compiles the CLI (`npm run build:cli`), records one journey of eleven hops in a local ledger
 * in a temporary directory, then runs `shipline --help` and `shipline trace <app>` as a person would
 * (`node bin/shipline.mjs …`, a new process each time), `--runs` times each (default 9), from the
 * compiled JavaScript in dist/cli and from the TypeScript sources through tsx
 * (`SHIPLINE_CLI_FROM_SOURCE=1`, how every call ran before). It prints the median and the fastest
 * and slowest run of each beside issue 13's targets and its figures from before (about 1.0 s and
 * 1.7 s), then one JSON object as its last line. It exits 1 when a compiled median misses its
 * target.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FileDocumentStore } from "../functions/adapters/local/file-document-store.js";
import type { DetailTypeName } from "../functions/core/contracts/detail-type.js";
import { recordHop } from "../functions/core/ledger/record-hop.js";
import { shiplineAt } from "../test/unit/core/ledger/ledger-test-kit.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "shipline.mjs");

/** What each command must reach, and what issue 13 measured before the compiled CLI. */
const CASES = [
  { name: "shipline --help", args: ["--help"], targetMs: 300, beforeMs: 1000 },
  // The app of the contract examples the journey is made of.
  { name: "shipline trace <app>", args: ["trace", "web"], targetMs: 500, beforeMs: 1700 },
] as const;

const { values } = parseArgs({ options: { runs: { type: "string", default: "9" } } });
const runs = Number(values.runs);

/**
 * Records a whole journey as the ledger step would: the contract's example events (those the tests
 * use, so they stay valid as the contracts grow), staging then production.
 */
async function recordJourney(dataDir: string): Promise<void> {
  const store = new FileDocumentStore({ directory: join(dataDir, "store") });
  const journey: [DetailTypeName, number, Record<string, unknown>][] = [
    ["Commit Pushed", 0, {}],
    ["Build Started", 1, {}],
    ["Image Pushed", 60, {}],
    ["Build Succeeded", 61, {}],
    ["Image Approved", 65, {}],
    ["Config Committed", 70, { environment: "staging" }],
    ["Sync Requested", 71, { environment: "staging" }],
    ["Deployment Verified", 90, { environment: "staging" }],
    ["Config Committed", 100, { environment: "production" }],
    ["Sync Requested", 101, { environment: "production" }],
    ["Deployment Verified", 120, { environment: "production" }],
  ];
  for (const [detailType, seconds, changes] of journey) {
    const event = shiplineAt(detailType, seconds, changes);
    await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
  }
}

/** Runs one command `runs` times in new processes; the wall times, in milliseconds. */
function timeRuns(args: readonly string[], dataDir: string, fromSource: boolean): number[] {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [BIN, ...args, ...(args[0] === "trace" ? ["--data-dir", dataDir] : [])],
      {
        cwd: dataDir,
        env: fromSource ? { ...process.env, SHIPLINE_CLI_FROM_SOURCE: "1" } : withoutSourceFlag(process.env),
        encoding: "utf8",
      },
    );
    times.push(performance.now() - started);
    if (result.status !== 0) {
      throw new Error(`shipline ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
  }
  return times;
}

function withoutSourceFlag(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { SHIPLINE_CLI_FROM_SOURCE: _ignored, ...rest } = env;
  return rest;
}

/** Whether bin/shipline.mjs would still run dist/cli: no source is newer than the build. */
function compiledIsCurrent(): boolean {
  const newest = (directory: string): number =>
    readdirSync(directory, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return Math.max(latest, newest(path));
      return entry.name.endsWith(".ts") ? Math.max(latest, statSync(path).mtimeMs) : latest;
    }, 0);
  return statSync(join(ROOT, "dist", "cli", "main.mjs")).mtimeMs >= newest(join(ROOT, "functions"));
}

function median(times: readonly number[]): number {
  const sorted = [...times].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build-cli.mjs")], { encoding: "utf8" });
if (build.status !== 0) throw new Error(`build:cli failed: ${build.stderr}`);
const dir = await mkdtemp(join(tmpdir(), "shipline-bench-cli-"));
try {
  await recordJourney(dir);
  if (!compiledIsCurrent())
    throw new Error("a source changed while dist/cli was built; run the benchmark again");
  const results = CASES.map((benchCase) => {
    const source = timeRuns(benchCase.args, dir, true);
    const compiled = timeRuns(benchCase.args, dir, false);
    return { ...benchCase, source, compiled };
  });
  const rows = [
    ["command", "target", "before (issue 13)", "tsx now (median)", "compiled (median)", "compiled min–max"],
    ...results.map((result) => [
      result.name,
      `≤ ${ms(result.targetMs)}`,
      `~${ms(result.beforeMs)}`,
      ms(median(result.source)),
      ms(median(result.compiled)),
      `${ms(Math.min(...result.compiled))} – ${ms(Math.max(...result.compiled))}`,
    ]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  if (!compiledIsCurrent()) {
    process.stdout.write(
      "note: a source changed during the runs, so some compiled runs may have run through tsx\n",
    );
  }
  process.stdout.write(`shipline start-up, ${runs} runs each, Node.js ${process.version}\n\n`);
  for (const row of rows) {
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
  const summary = results.map((result) => ({
    command: result.name,
    targetMs: result.targetMs,
    beforeMs: result.beforeMs,
    sourceMedianMs: Math.round(median(result.source)),
    compiledMedianMs: Math.round(median(result.compiled)),
  }));
  process.stdout.write(`\n${JSON.stringify({ runs, node: process.version, results: summary })}\n`);
  process.exitCode = summary.every((result) => result.compiledMedianMs <= result.targetMs) ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
