/**
 * Benchmark of the Lambda bundles (`npm run bench:lambda`, not part of `npm test`).
 *
 * Synthesizes the stack of `examples/aws/shipline.config.yaml` (every step deployed), then, for each
 * step function, builds its entry under `functions/lambda/` the way CDK does (esbuild with the
 * settings of `infra/constructs/lambda-bundling.ts`, the target of the function's runtime, its
 * configuration file beside the bundle when the stack puts it there) and measures:
 * - the minified bundle's size (`index.mjs`, source map excluded) and its gzip size;
 * - the module-init time: a fresh `node` process imports the bundle with the function's environment
 *   from the synthesized template (deploy-time values replaced by plausible ones) and reports how
 *   long the import took, and the CPU time it used (which other work on the machine inflates less);
 *   the median of 5 processes each.
 * Goals: every bundle ≤ 700 KB (700,000 bytes) minified and every init ≤ 120 ms. Tracing is the
 * stack's default (`active`); `--detailed` synthesizes with `shipline:tracing=detailed`, so every bundle
 * carries Powertools' tracer (the X-Ray SDK).
 *
 * `--inputs` also prints, per function, the ten packages (or source folders) that weigh most in the
 * bundle, from esbuild's metafile.
 *
 * Prints a table, then, as its last line, one JSON object:
 * {"functions": {"<name>": {"bytes", "gzipBytes", "initMs", "initCpuMs"}, …}, "maxBytes", "maxInitMs", "goalsMet"}
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { build, type Metafile } from "esbuild";
import { CONFIG_FILE_NAME } from "../functions/adapters/local/config-file-loader.js";
import {
  esbuildTargetOf,
  LAMBDA_BUNDLE,
  lambdaAliases,
  type StepTracing,
} from "../infra/constructs/lambda-bundling.js";
import { StepFunction, TRACING_CONTEXT } from "../infra/constructs/step-function.js";
import { readStepFunctionConfig } from "../infra/constructs/step-function-config.js";
import { CONFIG_FILE_CONTEXT, createAppFromContext } from "../infra/create-app.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONFIG = path.join(ROOT, "examples/aws/shipline.config.yaml");
const GOAL_BYTES = 700_000;
const GOAL_INIT_MS = 120;
const RUNS = 5;
const showInputs = process.argv.includes("--inputs");
const detailed = process.argv.includes("--detailed");

/** What is bundled and how it is started, read from the synthesized stack. */
interface Target {
  readonly name: string;
  readonly entry: string;
  readonly runtime: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly configFile: boolean;
  readonly tracing: StepTracing;
}

/** What one function measured. */
interface Measured {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly initMs: number;
  readonly initCpuMs: number;
  readonly inputs: readonly (readonly [string, number])[];
}

/** Plausible values for what CloudFormation fills in at deployment. */
const PSEUDO: Readonly<Record<string, string>> = {
  "AWS::AccountId": "123456789012",
  "AWS::Region": "eu-west-1",
  "AWS::Partition": "aws",
  "AWS::URLSuffix": "amazonaws.com",
};

/** A template value with every intrinsic function replaced by a plausible value. */
function resolved(value: unknown, key: string): string {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null) return String(value);
  if ("Ref" in value && typeof value.Ref === "string")
    return PSEUDO[value.Ref] ?? placeholder(key, value.Ref);
  if ("Fn::GetAtt" in value && Array.isArray(value["Fn::GetAtt"])) {
    return placeholder(key, String(value["Fn::GetAtt"][0]));
  }
  if ("Fn::Join" in value && Array.isArray(value["Fn::Join"])) {
    const [separator, parts] = value["Fn::Join"];
    return Array.isArray(parts) ? parts.map((part) => resolved(part, key)).join(String(separator)) : "";
  }
  return placeholder(key, "value");
}

function placeholder(key: string, logicalId: string): string {
  const name = logicalId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "")
    .slice(0, 40);
  if (key.endsWith("_ARN")) return `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
  if (key.endsWith("_URL")) return `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}.fifo`;
  return name;
}

async function targets(): Promise<Target[]> {
  const outdir = await mkdtemp(path.join(tmpdir(), "shipline-bench-synth-"));
  try {
    const { app, stack } = await createAppFromContext({
      app: {
        outdir,
        context: { [CONFIG_FILE_CONTEXT]: CONFIG, ...(detailed ? { [TRACING_CONTEXT]: "detailed" } : {}) },
      },
      stack: { functionCode: lambda.Code.fromInline("exports.handler = async () => {};") },
    });
    const template = app.synth().getStackByName(stack.stackName).template;
    const found: Target[] = [];
    for (const construct of stack.node.findAll()) {
      if (!(construct instanceof StepFunction)) continue;
      const resource = construct.fn.node.defaultChild;
      if (!(resource instanceof lambda.CfnFunction)) continue;
      const properties = template.Resources[stack.getLogicalId(resource)].Properties;
      const variables: Record<string, unknown> = properties.Environment?.Variables ?? {};
      const environment = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [key, resolved(value, key)]),
      );
      found.push({
        name: path.basename(construct.entry, ".ts"),
        entry: construct.entry,
        runtime: String(properties.Runtime),
        environment,
        configFile: construct.configDelivery === "file",
        tracing: construct.tracing,
      });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/** The ten heaviest packages (or source folders) of a bundle. */
function heaviest(metafile: Metafile): (readonly [string, number])[] {
  const output = Object.values(metafile.outputs).find((out) => out.entryPoint !== undefined);
  const totals = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = match?.[1] ?? path.dirname(file).split("/").slice(0, 3).join("/");
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, 10);
}

/** One fresh `node` process importing the bundle: how long the import took and its CPU time, in milliseconds. */
function initOnce(
  bundle: string,
  environment: Readonly<Record<string, string>>,
): Promise<{ readonly wall: number; readonly cpu: number }> {
  const script =
    "const t = performance.now(); const c = process.cpuUsage(); await import(process.argv[1]); const u = process.cpuUsage(c); process.stdout.write([performance.now() - t, (u.user + u.system) / 1000].join(' '));";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, pathToFileURL(bundle).href], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "eu-west-1",
        AWS_LAMBDA_FUNCTION_NAME: "bench",
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs",
        ...environment,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const [wall, cpu] = out.split(" ").map(Number);
      if (code === 0 && wall !== undefined && cpu !== undefined && Number.isFinite(wall + cpu)) {
        resolve({ wall, cpu });
      } else {
        reject(new Error(`importing ${bundle} failed (exit ${code}): ${err.trim()}`));
      }
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measure(target: Target, documentJson: string): Promise<Measured> {
  const dir = await mkdtemp(path.join(tmpdir(), `shipline-bench-${target.name}-`));
  try {
    const outfile = path.join(dir, "index.mjs");
    const result = await build({
      entryPoints: [target.entry],
      bundle: true,
      platform: "node",
      target: esbuildTargetOf(target.runtime),
      outfile,
      format: LAMBDA_BUNDLE.format,
      mainFields: [...LAMBDA_BUNDLE.mainFields],
      minify: LAMBDA_BUNDLE.minify,
      sourcemap: LAMBDA_BUNDLE.sourcemap,
      sourcesContent: LAMBDA_BUNDLE.sourcesContent,
      banner: { js: LAMBDA_BUNDLE.banner },
      alias: lambdaAliases({ tracing: target.tracing }),
      metafile: true,
      logLevel: "error",
    });
    if (target.configFile) await writeFile(path.join(dir, CONFIG_FILE_NAME), documentJson);
    const code = await readFile(outfile);
    const times: { wall: number; cpu: number }[] = [];
    for (let run = 0; run < RUNS; run += 1) times.push(await initOnce(outfile, target.environment));
    return {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      initMs: median(times.map((time) => time.wall)),
      initCpuMs: median(times.map((time) => time.cpu)),
      inputs: heaviest(result.metafile),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;

const { documentJson } = await readStepFunctionConfig(CONFIG);
const found = await targets();
const results = new Map<string, Measured>();
for (const target of found) {
  results.set(target.name, await measure(target, documentJson));
}

const header = [
  "function",
  "minified",
  "gzip",
  "init (median of 5)",
  "init CPU",
  "goals (≤ 700 KB, ≤ 120 ms)",
];
const rows = [...results].map(([name, m]) => [
  name,
  kb(m.bytes),
  kb(m.gzipBytes),
  `${m.initMs.toFixed(0)} ms`,
  `${m.initCpuMs.toFixed(0)} ms`,
  m.bytes <= GOAL_BYTES && m.initMs <= GOAL_INIT_MS ? "met" : "missed",
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
);
const line = (cells: readonly string[]) =>
  cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
console.log(
  `Node ${process.version}, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(" ")}; esbuild target of each function's runtime; ${RUNS} fresh processes each`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
if (showInputs) {
  for (const [name, m] of results) {
    console.log(`\n${name}: ${m.inputs.map(([input, bytes]) => `${input} ${kb(bytes)}`).join(", ")}`);
  }
}
const all = [...results.values()];
const maxBytes = Math.max(...all.map((m) => m.bytes));
const maxInitMs = Math.max(...all.map((m) => m.initMs));
console.log(
  JSON.stringify({
    functions: Object.fromEntries(
      [...results].map(([name, m]) => [
        name,
        {
          bytes: m.bytes,
          gzipBytes: m.gzipBytes,
          initMs: Math.round(m.initMs),
          initCpuMs: Math.round(m.initCpuMs),
        },
      ]),
    ),
    maxBytes,
    maxInitMs: Math.round(maxInitMs),
    goalsMet: maxBytes <= GOAL_BYTES && maxInitMs <= GOAL_INIT_MS,
  }),
);
