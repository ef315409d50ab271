import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isSeq, parseDocument } from "yaml";
import * as z from "zod";
import { loadConfigFile } from "../../../functions/adapters/local/config-file-loader.js";
import type { ShiplineConfig } from "../../../functions/core/config/shipline-config.js";
import type { EventEnvelope } from "../../../functions/core/contracts/event-envelope.js";
import { configuredRepositories } from "../../../functions/core/webhook/configured-repositories.js";
import { main } from "../../../functions/local/cli/main.js";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import {
  localRepositoryName,
  pushAsDeveloper,
  seedConfigRepository,
} from "../../../functions/local/demo/seed-demo.js";
import { signWebhookBody } from "../../../functions/local/git-server/webhook-signature.js";
import { connectLocalChain, type LocalChain } from "../../../functions/local/runtime/local-chain.js";
import { localHarborOption } from "../../../functions/local/runtime/local-harbor-option.js";
import { type LocalPlatform, startLocalPlatform } from "../../../functions/local/runtime/local-platform.js";
import { captureIo } from "../../unit/local/bus/capture-io.js";

/** The repository root (where `bin/shipline.mjs` and the example configuration live). */
export const REPO_ROOT = resolve(__dirname, "../../..");

/** How long a test waits for one outcome of the chain before it fails with what it saw. */
export const OUTCOME_WAIT_MS = 150_000;

/** The Vitest time-out of one end-to-end test: several outcomes in a row on a loaded machine. */
export const E2E_TEST_TIMEOUT_MS = 420_000;

/**
 * How long the Argo CD stand-in gives a new workload to answer `/health` (below the deadline). A
 * healthy sample service answers within a second; a broken one fails only when this runs out (and
 * the agent refreshes from git all the while), so it is short.
 */
const READINESS_TIMEOUT_MS = 6_000;

/** The fields of event details the tests look at; every other field is kept as it is. */
export const detailFields = z.looseObject({
  app: z.string().nullish(),
  commit: z.string().nullish(),
  environment: z.string().optional(),
  kind: z.string().optional(),
  tag: z.string().optional(),
  digest: z.string().optional(),
  configCommit: z.string().optional(),
  revision: z.string().optional(),
  number: z.number().optional(),
  revertedCommit: z.string().optional(),
  placedBy: z.string().optional(),
  reason: z.string().optional(),
  correlationId: z.string().optional(),
  by: z.string().optional(),
  author: z.string().optional(),
  restored: z.looseObject({ tag: z.string().optional() }).optional(),
  waitingFor: z.string().optional(),
  blocking: z.array(z.looseObject({ id: z.string() })).optional(),
});

/** An event of the bus with the details the tests read. */
export interface SeenEvent {
  readonly type: string;
  readonly detail: z.infer<typeof detailFields>;
  readonly envelope: EventEnvelope;
}

/**
 * Writes the example `shipline.config.yaml` with short timings into `dir`: every environment
 * soaks 2s and has 60s to verify, so a journey takes seconds and a broken `/health` fails fast.
 * Answers the file's path.
 */
export async function writeFastConfig(dir: string, options: E2eOptions = {}): Promise<string> {
  const document = parseDocument(await readFile(join(REPO_ROOT, "shipline.config.yaml"), "utf8"));
  const environments = document.get("environments");
  if (!isSeq(environments)) throw new Error("the example configuration has no environments list");
  for (const index of environments.items.keys()) {
    document.setIn(["environments", index, "soakTime"], "2s");
    document.setIn(["environments", index, "verifyDeadline"], "60s");
    if (options.manualIn?.includes(String(document.getIn(["environments", index, "name"])))) {
      document.setIn(["environments", index, "approval"], "manual");
    }
    for (const [key, value] of Object.entries(
      options.environments?.[String(document.getIn(["environments", index, "name"]))] ?? {},
    )) {
      document.setIn(["environments", index, key], document.createNode(value));
    }
    if (options.reviewIn?.includes(String(document.getIn(["environments", index, "name"])))) {
      document.setIn(["environments", index, "approval"], "pull-request");
      document.setIn(["configRepo", "pullRequest"], document.createNode({ provider: "github" }));
    }
  }
  for (const [key, value] of Object.entries(options.app ?? {})) {
    document.setIn(["apps", 0, key], document.createNode(value));
  }
  if (options.ociRegistry) {
    // The embedded registry announces none of the app's pushes: its CI announces them.
    document.set("registries", document.createNode([{ kind: "oci", url: "local:registry" }]));
  }
  if (options.harbor) {
    // The embedded registry stands in for Harbor; Harbor's repositories live in a project.
    document.set("registries", document.createNode([{ kind: "harbor", url: "local:registry" }]));
    document.setIn(["apps", 0, "image", "repository"], HARBOR_REPOSITORY);
    document.setIn(["apps", 0, "deploy", "production", "image"], HARBOR_REPOSITORY);
  }
  const file = join(dir, "shipline.config.yaml");
  await writeFile(file, document.toString());
  return file;
}

/** Variations of the example configuration for one test. */
export interface E2eOptions {
  /** Environments that get `approval: pull-request` (and the config repository a `pullRequest` section). */
  readonly reviewIn?: readonly string[];
  /** Environments that get `approval: manual`. */
  readonly manualIn?: readonly string[];
  /**
   * The embedded registry announces in Harbor's format (`registries: [{ kind: harbor, url:
   * local:registry }]`) and the app's image is {@link HARBOR_REPOSITORY}.
   */
  readonly harbor?: boolean;
  /** The embedded registry is of kind oci (`registries: [{ kind: oci, url: local:registry }]`). */
  readonly ociRegistry?: boolean;
  /** Keys of environments' configuration to set, by environment, e.g. `{ staging: { bake: { window: "2s", ... } } }`. */
  readonly environments?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Keys of the app's configuration to replace, e.g. `{ build: "external", accept: { branches: ["main"] } }`. */
  readonly app?: Readonly<Record<string, unknown>>;
}

/** The app's image repository in the Harbor variation: a project and a repository, as Harbor has them. */
export const HARBOR_REPOSITORY = "library/demo";

/** A running platform with the whole chain connected, the demo config repository seeded. */
export interface E2ePlatform {
  readonly dir: string;
  readonly config: ShiplineConfig;
  readonly platform: LocalPlatform;
  readonly chain: LocalChain;
  /** The app repository's name on the local git server. */
  readonly appRepository: string;
  /** Every event the bus accepted so far, oldest first. */
  events(): readonly SeenEvent[];
  /** The events of one detail type for one app commit. */
  eventsOf(type: string, commit: string): SeenEvent[];
  /** A developer's `git push` of files to the app repository; answers the commit. */
  push(files: Readonly<Record<string, string>>, message: string): Promise<string>;
  /** Waits for the first event (seen or to come) that matches, or fails with the events seen. */
  waitFor(what: string, match: (event: SeenEvent) => boolean, timeoutMs?: number): Promise<SeenEvent>;
  /**
   * A person's `git push` to the config repository's branch (Alice Operator): files written, or
   * `revert` of a commit with git's own message. Answers the pushed commit.
   */
  pushConfig(change: {
    readonly files?: Readonly<Record<string, string>>;
    readonly revert?: string;
    readonly message?: string;
  }): Promise<string>;
  /** A file of the config repository's branch head, read with the git CLI. */
  configFile(path: string): Promise<string>;
  /** Sends a recorded push webhook again, byte for byte with its delivery id; answers the status. */
  redeliver(deliveryId: string): Promise<number>;
  /** Waits until the bus, the builder and the config writer's queue have nothing left to do. */
  settle(): Promise<void>;
  /**
   * Runs a `shipline` command against this platform's data directory and configuration, as a
   * person would in the project folder: answers its exit code and output.
   */
  cli(
    args: readonly string[],
    options?: { readonly config?: boolean },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The errors parts reported, as text. */
  errors(): readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts a platform in a new temporary directory (every port free), writes the fast test
 * configuration there, seeds the demo config repository, connects the chain and creates the app
 * repository empty, so that each test's first `git push` starts its first journey.
 */
export async function startE2ePlatform(options: E2eOptions = {}): Promise<E2ePlatform> {
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  const dir = await mkdtemp(join(tmpdir(), "shipline-e2e-"));
  const config = await loadConfigFile(await writeFastConfig(dir, options));
  const seen: SeenEvent[] = [];
  const errors: string[] = [];
  const listeners = new Set<() => void>();
  const onError = (error: unknown) => errors.push(error instanceof Error ? error.message : String(error));
  const platform = await startLocalPlatform({
    dataDir: join(dir, "data"),
    repositories: configuredRepositories(config),
    ...localHarborOption(config),
    onEvent: (envelope) => {
      const parsed = detailFields.safeParse(envelope.detail);
      seen.push({ type: envelope["detail-type"], detail: parsed.success ? parsed.data : {}, envelope });
      for (const listener of listeners) listener();
    },
    onError,
  });
  let chain: LocalChain | undefined;
  try {
    await seedConfigRepository({ platform, config });
    chain = await connectLocalChain({ platform, config, onError, readinessTimeoutMs: READINESS_TIMEOUT_MS });
    const app = config.apps[0];
    const appRepository = app ? localRepositoryName(app.source.repo) : undefined;
    if (appRepository === undefined) throw new Error("the example configuration has no local app repository");
    await platform.git.createRepository(appRepository, { defaultBranch: "main" });
    const connected = chain;
    return {
      dir,
      config,
      platform,
      chain: connected,
      appRepository,
      events: () => [...seen],
      eventsOf: (type, commit) =>
        seen.filter((event) => event.type === type && event.detail.commit === commit),
      push: (files, message) => pushAsDeveloper({ platform, repository: appRepository, files, message }),
      waitFor: (what, match, timeoutMs = OUTCOME_WAIT_MS) =>
        new Promise((done, fail) => {
          const check = () => {
            const found = seen.find(match);
            if (found === undefined) return;
            listeners.delete(check);
            clearTimeout(timer);
            done(found);
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            fail(new Error(`waited ${timeoutMs / 1000}s for ${what}; ${describeRun(seen, errors)}`));
          }, timeoutMs);
          listeners.add(check);
          check();
        }),
      pushConfig: (change) =>
        pushAsDeveloper({
          platform,
          repository: localRepositoryName(config.configRepo.url) ?? "",
          branch: config.configRepo.branch,
          files: change.files ?? {},
          message: change.message ?? "Edit by hand",
          author: PERSON,
          ...(change.revert === undefined ? {} : { revert: change.revert }),
        }),
      configFile: (path) => readBranchFile(platform, config, path),
      redeliver: (deliveryId) => redeliver(platform, deliveryId),
      async settle() {
        const until = Date.now() + OUTCOME_WAIT_MS;
        // The chain's idle waits for every delivery, retries included: bounded, so that a step that
        // never ends fails the test with what the run saw instead of its time-out.
        const idle = async () => {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`the chain never went idle; ${describeRun(seen, errors)}`)),
              Math.max(0, until - Date.now()),
            );
          });
          try {
            await Promise.race([connected.idle(), late]);
          } finally {
            clearTimeout(timer);
          }
        };
        for (;;) {
          await idle();
          const queue = connected.writeQueue.counts();
          if (queue.visible + queue.inFlight + queue.delayed === 0) break;
          if (Date.now() > until)
            throw new Error(`the config writer never drained; ${describeRun(seen, errors)}`);
          await new Promise((done) => setTimeout(done, 200));
        }
        await idle();
      },
      async cli(args, options = {}) {
        const capture = captureIo(dir);
        const config = options.config === false ? [] : ["--config", join(dir, "shipline.config.yaml")];
        const code = await main([...args, "--data-dir", join(dir, "data"), ...config], capture.io);
        return { code, stdout: capture.stdout(), stderr: capture.stderr() };
      },
      errors: () => [...errors],
      async stop() {
        await connected.stop();
        await platform.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await chain?.stop();
    await platform.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The person who edits the config repository by hand in these tests. */
export const PERSON = { name: "Alice Operator", email: "alice@example.test" } as const;

/** The sample service with `/health` answering 500, and a greeting that tells versions apart. */
export function brokenHealthFiles(): Record<string, string> {
  const server = DEMO_APP_FILES["server.js"] ?? "";
  const broken = server.replace("const healthy = true;", "const healthy = false;");
  if (broken === server) throw new Error("the sample service no longer declares `const healthy = true;`");
  return { "server.js": broken };
}

/** The sample service answering `greeting` on `/` (a new, healthy version). */
export function greetingFiles(greeting: string): Record<string, string> {
  const server = DEMO_APP_FILES["server.js"] ?? "";
  const changed = server.replace('"Hello from the demo service"', JSON.stringify(greeting));
  if (changed === server) throw new Error("the sample service no longer has its default greeting");
  return { "server.js": changed };
}

/** A gate on 127.0.0.1 that answers 503 until it is opened, then 200: a build's test can wait on it. */
export interface Gate {
  readonly url: string;
  open(): void;
  close(): Promise<void>;
}

/** Starts a {@link Gate} on a free port. */
export async function startGate(): Promise<Gate> {
  let opened = false;
  const server = createServer((_request, response) => {
    response.writeHead(opened ? 200 : 503).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    open: () => {
      opened = true;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A test file of the sample service that passes only once the gate at `url` is open. */
export function gatedTestFile(url: string): string {
  return `const { test } = require("node:test");

test("the release gate opens", async () => {
  for (;;) {
    const open = await fetch(${JSON.stringify(url)}).then((response) => response.ok, () => false);
    if (open) return;
    await new Promise((done) => setTimeout(done, 200));
  }
});
`;
}

/** One line per event (type, commit, environment, kind) and the errors reported, for failure messages. */
export function describeRun(events: readonly SeenEvent[], errors: readonly string[]): string {
  const lines = events.map(
    (event) =>
      `  ${event.envelope.time} ${event.type} ${event.detail.commit?.slice(0, 7) ?? "-"}` +
      `${event.detail.environment ? ` ${event.detail.environment}` : ""}${event.detail.kind ? ` (${event.detail.kind})` : ""}` +
      `${event.detail.reason ? `: ${event.detail.reason}` : ""}`,
  );
  return `events seen:\n${lines.join("\n")}\nerrors reported:\n${errors.map((line) => `  ${line}`).join("\n") || "  none"}`;
}

/**
 * A file of the config repository's branch head, read with the git CLI straight from the git
 * server's bare repository: what any clone of the branch gets, without a clone per read.
 */
async function readBranchFile(
  platform: LocalPlatform,
  config: ShiplineConfig,
  path: string,
): Promise<string> {
  const gitDir = await configGitDir(platform, config);
  return runGit(["show", `${config.configRepo.branch}:${path}`], gitDir, gitEnvironment());
}

/** The commit subjects of the config repository's branch, newest first, read with the git CLI. */
export async function configLog(run: E2ePlatform): Promise<string[]> {
  const gitDir = await configGitDir(run.platform, run.config);
  const log = await runGit(["log", "--format=%s", run.config.configRepo.branch], gitDir, gitEnvironment());
  return log.split("\n").filter((line) => line !== "");
}

async function configGitDir(platform: LocalPlatform, config: ShiplineConfig): Promise<string> {
  const name = localRepositoryName(config.configRepo.url) ?? "";
  const repository = await platform.git.getRepository(name);
  if (repository === undefined) throw new Error(`the git server has no config repository '${name}'`);
  return repository.gitDir;
}

/** An environment that keeps the user's and the system's git configuration out of reads. */
function gitEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", LC_ALL: "C" };
}

const pushBody = z.looseObject({ repository: z.looseObject({ id: z.number() }) });

async function redeliver(platform: LocalPlatform, deliveryId: string): Promise<number> {
  const delivery = platform.git.deliveries().find((candidate) => candidate.id === deliveryId);
  if (delivery === undefined) throw new Error(`no webhook delivery ${deliveryId} was recorded`);
  const body = Buffer.from(delivery.body, "utf8");
  const response = await fetch(delivery.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/shipline-local",
      "x-github-event": delivery.event,
      "x-github-delivery": delivery.id,
      "x-github-hook-id": String(delivery.hookId),
      "x-github-hook-installation-target-type": "repository",
      "x-github-hook-installation-target-id": String(pushBody.parse(JSON.parse(delivery.body)).repository.id),
      "x-hub-signature-256": signWebhookBody(platform.webhookSecret, body),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

function runGit(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn("git", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", fail);
    child.once("close", (code) =>
      code === 0 ? done(stdout) : fail(new Error(`git ${args[0]} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}
