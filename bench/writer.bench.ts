/**
 * Benchmark of the config writer's git path (`npm run bench:writer`, not part of `npm test`).
 *
 * Generates config repositories with the git CLI (`git fast-import`): small (50 files, 100
 * commits), medium (2,000 / 2,000) and large (20,000 files / 10,000 commits), serves them with the
 * local git server (token-protected pushes, tokens from the local OIDC exchange) and measures, side
 * by side in one run, one image update through:
 * - the git CLI: `git clone --depth 1 --single-branch` + YAML edit + `git commit` + `git push`;
 * - the writer, cold: a new process, an empty clone directory (shallow single-branch fetch);
 * - the writer, warm: a new process on the clone directory a previous update left (fetches only
 *   what the CLI pushed meanwhile).
 * Each writer update runs in a child process that reports its own peak RSS
 * (`process.resourceUsage().maxRSS`) and the time of the update (module loading excluded).
 * Then 50 intents for 50 apps are sent at once through the local FIFO queue to the batching worker;
 * the git CLI checks that all 50 are on the branch.
 *
 * Prints a table, then, as its last line, one JSON object:
 * {"large": {"gitCliMs", "warmMs", "coldMs", "warmRatio", "coldRatio", "warmRssMB", "coldRssMB"},
 *  "medium": {…}, "small": {…}, "concurrency": {"intents": 50, "present", "lost", "wallMs", "commits"}}
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { build } from "esbuild";
import * as z from "zod";
import { IsomorphicConfigRepository } from "../functions/adapters/git/isomorphic-config-repository.js";
import { LocalMessageQueue } from "../functions/adapters/local/local-message-queue.js";
import { writeConfig } from "../functions/core/writer/write-config.js";
import { type WriteIntent, writeIntent, writeIntentGroupId } from "../functions/core/writer/write-intent.js";
import { LocalGitServer } from "../functions/local/git-server/local-git-server.js";
import { LocalOidcServer } from "../functions/local/oidc/local-oidc-server.js";
import { ConfigWriterWorker } from "../functions/local/writer/config-writer-worker.js";
import { localRepositoryCredentials } from "../functions/local/writer/local-repository-credentials.js";

const ROLE = "arn:aws:iam::000000000000:role/shipline-config-writer";
const ENVS = ["dev", "staging", "prod", "canary"] as const;
const APPS_PER_TEAM = 100;
const AUTHOR = { name: "Shipline", email: "shipline@example.test" };
const TOKEN_ENV = "SHIPLINE_BENCH_GIT_TOKEN";

interface Size {
  readonly name: "small" | "medium" | "large";
  readonly files: number;
  readonly commits: number;
}

const SIZES: readonly Size[] = [
  { name: "small", files: 50, commits: 100 },
  { name: "medium", files: 2_000, commits: 2_000 },
  { name: "large", files: 20_000, commits: 10_000 },
];

/** What a child process reports about one writer update. */
const childReport = z.object({ ms: z.number(), rssMB: z.number(), commit: z.string() });
type ChildReport = z.infer<typeof childReport>;

/** What a child process is asked to do. */
const childInput = z.object({ url: z.string(), dir: z.string(), intent: z.unknown() });

function filePath(index: number): string {
  const app = Math.floor(index / ENVS.length);
  const team = Math.floor(app / APPS_PER_TEAM);
  return `teams/team-${String(team).padStart(3, "0")}/app-${String(app).padStart(5, "0")}/${ENVS[index % ENVS.length]}.yaml`;
}

function values(index: number, tag: string): string {
  const app = `app-${String(Math.floor(index / ENVS.length)).padStart(5, "0")}`;
  return `# ${app} in ${ENVS[index % ENVS.length]}: managed by Shipline\nimage:\n  repository: registry.local/${app}\n  tag: ${tag} # bumped by Shipline\n  pullPolicy: IfNotPresent\nreplicas: 2\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n`;
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args[0]} exited ${code}: ${stderr.slice(0, 500)}`)),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A fast-import stream: one commit adding every file, then commits bumping one file each. */
function fastImportStream(size: Size): string {
  const parts: string[] = [];
  let time = 1_700_000_000;
  // Commits on one branch of one stream chain by themselves: each continues from the last.
  const commit = (message: string, body: string) => {
    parts.push(
      `commit refs/heads/main\ncommitter Seed <seed@example.test> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n${body}`,
    );
    time += 60;
  };
  const files: string[] = [];
  for (let index = 0; index < size.files; index += 1) {
    const content = values(index, "1.0.0");
    files.push(`M 100644 inline ${filePath(index)}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  }
  commit("initial config", files.join(""));
  for (let n = 1; n < size.commits; n += 1) {
    const index = (n * 7919) % size.files;
    const content = values(index, `1.0.${n}`);
    commit(
      `bump ${filePath(index)} to 1.0.${n}`,
      `M 100644 inline ${filePath(index)}\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  }
  return parts.join("\n");
}

async function gitEnv(home: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(home, { recursive: true });
  const config = join(home, "gitconfig");
  const helper = `!f() { test "$1" = get && echo username=x-access-token && echo "password=$${TOKEN_ENV}"; }; f`;
  await writeFile(
    config,
    `[user]\n\tname = Bench\n\temail = bench@example.test\n[credential]\n\thelper = ${JSON.stringify(helper)}\n[advice]\n\tdetachedHead = false\n`,
  );
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_GLOBAL: config,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
}

function intentFor(size: Size, index: number, tag: string, id: string): WriteIntent {
  return writeIntent.parse({
    intentId: id,
    kind: "update",
    app: `app-${String(Math.floor(index / ENVS.length)).padStart(5, "0")}`,
    environment: ENVS[index % ENVS.length],
    commit: "0123456789abcdef0123456789abcdef01234567",
    correlationId: `${size.name}-${id}`,
    target: { kind: "helm", file: filePath(index), path: "image.tag" },
    image: { repository: "registry.local/app", tag, digest: `sha256:${"c".repeat(64)}` },
    scanVerdict: "approved",
  });
}

/** Child mode: one writer update; prints {ms, rssMB, commit}. */
async function child(): Promise<void> {
  const input = childInput.parse(JSON.parse(process.argv[3] ?? "{}"));
  const token = process.env[TOKEN_ENV] ?? "";
  const repo = new IsomorphicConfigRepository({
    url: input.url,
    branch: "main",
    dir: input.dir,
    credentials: async () => ({ username: "x-access-token", password: token }),
  });
  const started = performance.now();
  const result = await writeConfig({
    repo,
    intents: [writeIntent.parse(input.intent)],
    author: AUTHOR,
    clock: { now: () => new Date() },
  });
  const ms = performance.now() - started;
  const report: ChildReport = {
    ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    commit: result.commit ?? "",
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/**
 * The writer runs as Lambda runs it: an esbuild bundle on plain node (under tsx the loader alone
 * adds some 50 MB of RSS that a deployed function does not have).
 */
async function bundleChild(root: string): Promise<string> {
  const outfile = join(root, "writer-child.mjs");
  await build({
    entryPoints: [import.meta.filename],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "warning",
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

async function writerInChild(
  bundle: string,
  url: string,
  dir: string,
  intent: WriteIntent,
  token: string,
): Promise<ChildReport> {
  const stdout = await run(process.execPath, [bundle, "--child", JSON.stringify({ url, dir, intent })], {
    env: { ...process.env, [TOKEN_ENV]: token },
  });
  const last = stdout.trim().split("\n").at(-1) ?? "{}";
  return childReport.parse(JSON.parse(last));
}

async function gitCliUpdate(
  url: string,
  work: string,
  env: NodeJS.ProcessEnv,
  file: string,
  tag: string,
): Promise<number> {
  const started = performance.now();
  await run("git", ["clone", "--quiet", "--depth", "1", "--single-branch", "--branch", "main", url, work], {
    env,
  });
  const target = join(work, file);
  const text = await readFile(target, "utf8");
  await writeFile(target, text.replace(/tag: \S+/, `tag: ${tag}`));
  await run("git", ["commit", "--quiet", "-am", `deploy: ${file} ${tag}`], { cwd: work, env });
  await run("git", ["push", "--quiet", "origin", "HEAD:refs/heads/main"], { cwd: work, env });
  return performance.now() - started;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

/** `--sizes small,medium` runs only those repositories (the JSON then lacks the others). */
function selectedSizes(): readonly Size[] {
  const flag = process.argv.indexOf("--sizes");
  const wanted = flag < 0 ? undefined : (process.argv[flag + 1] ?? "").split(",");
  return SIZES.filter((size) => wanted === undefined || wanted.includes(size.name));
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "shipline-writer-bench-"));
  const oidc = new LocalOidcServer({
    trustPolicy: [{ subject: ROLE, repositories: ["*"], permissions: ["write"] }],
    repositoryTokenTtlSeconds: 3_600,
  });
  await oidc.start();
  const server = new LocalGitServer({ rootDir: join(root, "repositories"), tokenVerifier: oidc });
  await server.start();
  const env = await gitEnv(join(root, "home"));
  const results: Record<string, unknown> = {};
  let concurrent: Awaited<ReturnType<typeof concurrency>> | undefined;
  const rows: string[][] = [];
  const began = performance.now();
  const bundle = await bundleChild(root);
  try {
    for (const size of selectedSizes()) {
      const generated = performance.now();
      const repository = await server.createRepository(size.name, { defaultBranch: "main" });
      await run("git", [`--git-dir=${repository.gitDir}`, "fast-import", "--quiet"], {
        env,
        input: fastImportStream(size),
      });
      const generateMs = performance.now() - generated;
      const credentials = localRepositoryCredentials({ oidc, subject: ROLE, repository: size.name });
      const { password: token } = await credentials();
      const cliEnv = { ...env, [TOKEN_ENV]: token };
      const url = server.cloneUrl(size.name);
      const rounds = size.name === "large" ? 3 : 5;
      const cli: number[] = [];
      const cold: ChildReport[] = [];
      const warm: ChildReport[] = [];
      const warmDir = join(root, "writer", `${size.name}-warm`);
      await writerInChild(bundle, url, warmDir, intentFor(size, 1, "0.9.0", `${size.name}-prime`), token);
      for (let n = 0; n < rounds; n += 1) {
        const index = (n * 31 + 3) % size.files;
        cli.push(
          await gitCliUpdate(url, join(root, `cli-${size.name}-${n}`), cliEnv, filePath(index), `2.0.${n}`),
        );
        await rm(join(root, `cli-${size.name}-${n}`), { recursive: true, force: true });
        const coldDir = join(root, "writer", `${size.name}-cold-${n}`);
        cold.push(
          await writerInChild(
            bundle,
            url,
            coldDir,
            intentFor(size, index + 1, `3.0.${n}`, `${size.name}-cold-${n}`),
            token,
          ),
        );
        await rm(coldDir, { recursive: true, force: true });
        warm.push(
          await writerInChild(
            bundle,
            url,
            warmDir,
            intentFor(size, index + 2, `4.0.${n}`, `${size.name}-warm-${n}`),
            token,
          ),
        );
      }
      const gitCliMs = median(cli);
      const coldMs = median(cold.map((report) => report.ms));
      const warmMs = median(warm.map((report) => report.ms));
      const entry = {
        gitCliMs: round(gitCliMs),
        warmMs: round(warmMs),
        coldMs: round(coldMs),
        warmRatio: round(warmMs / gitCliMs, 3),
        coldRatio: round(coldMs / gitCliMs, 3),
        warmRssMB: round(Math.max(...warm.map((report) => report.rssMB)), 1),
        coldRssMB: round(Math.max(...cold.map((report) => report.rssMB)), 1),
      };
      results[size.name] = entry;
      rows.push([
        size.name,
        `${size.files}/${size.commits}`,
        String(round(generateMs)),
        String(entry.gitCliMs),
        String(entry.coldMs),
        String(entry.warmMs),
        String(entry.coldRatio),
        String(entry.warmRatio),
        String(entry.coldRssMB),
        String(entry.warmRssMB),
        String(rounds),
      ]);
    }
    concurrent = await concurrency(server, oidc, root, env);
    results.concurrency = concurrent;
  } finally {
    await server.stop();
    await oidc.stop();
    await rm(root, { recursive: true, force: true });
  }
  const header = [
    "repo",
    "files/commits",
    "genMs",
    "gitCliMs",
    "coldMs",
    "warmMs",
    "coldRatio",
    "warmRatio",
    "coldRssMB",
    "warmRssMB",
    "rounds",
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const c = concurrent;
  if (c)
    console.log(
      `concurrency: ${c.intents} intents -> ${c.present} present, ${c.lost} lost, ${c.commits} commits, ${c.wallMs} ms`,
    );
  console.log(
    `goals (large): warm <= 0.15x and <= 128 MB, cold <= 1.5x and <= 256 MB; concurrency <= 5000 ms, <= 10 commits; total ${round((performance.now() - began) / 1000)} s`,
  );
  console.log(JSON.stringify(results));
}

async function concurrency(
  server: LocalGitServer,
  oidc: LocalOidcServer,
  root: string,
  env: NodeJS.ProcessEnv,
) {
  // 50 apps, 4 environments each: 200 files, 200 commits of history.
  const size: Size = { name: "small", files: 200, commits: 200 };
  const name = "concurrency";
  const repository = await server.createRepository(name, { defaultBranch: "main" });
  await run("git", [`--git-dir=${repository.gitDir}`, "fast-import", "--quiet"], {
    env,
    input: fastImportStream(size),
  });
  const url = server.cloneUrl(name);
  const credentials = localRepositoryCredentials({ oidc, subject: ROLE, repository: name });
  const repo = new IsomorphicConfigRepository({
    url,
    branch: "main",
    name: `local:${name}`,
    dir: join(root, "writer", name),
    credentials,
  });
  const queue = new LocalMessageQueue({ name: "writer.fifo", visibilityTimeoutSeconds: 60 });
  const group = writeIntentGroupId(`local:${name}`, "main");
  const intents = Array.from({ length: 50 }, (_, n) =>
    intentFor(size, n * ENVS.length, `9.9.${n}`, `concurrency-${n}`),
  );
  const headBefore = await repo.sync();
  let done = 0;
  const worker = new ConfigWriterWorker({
    queue,
    write: async (_group, batch) => {
      const result = await writeConfig({
        repo,
        intents: batch,
        author: AUTHOR,
        clock: { now: () => new Date() },
      });
      done += batch.length;
      return result;
    },
    waitTimeSeconds: 1,
  });
  worker.start();
  const started = performance.now();
  await Promise.all(
    intents.map((intent) =>
      queue.send({ body: JSON.stringify(intent), groupId: group, deduplicationId: intent.intentId }),
    ),
  );
  while (done < intents.length && performance.now() - started < 60_000)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const wallMs = performance.now() - started;
  await worker.stop();
  const work = join(root, "concurrency-check");
  const { password } = await credentials();
  await run("git", ["clone", "--quiet", "--single-branch", "--branch", "main", url, work], {
    env: { ...env, [TOKEN_ENV]: password },
  });
  let present = 0;
  for (const [n, intent] of intents.entries()) {
    const text = await readFile(join(work, intent.target.file), "utf8");
    if (text.includes(`tag: 9.9.${n} `)) present += 1;
  }
  const commits = Number(
    (await run("git", ["rev-list", "--count", `${headBefore}..HEAD`], { cwd: work, env })).trim(),
  );
  return { intents: intents.length, present, lost: intents.length - present, wallMs: round(wallMs), commits };
}

if (process.argv[2] === "--child") await child();
else await main();
