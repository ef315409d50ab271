/**
 * Load benchmark of the whole chain on the local runtime (`npm run bench:load`, not part of `npm test`).
 *
 * Ten apps share one config repository (one Helm values file per app and environment, one Argo CD
 * Application each, synced by the agent as in the demo), deployed to staging, then promoted to
 * production (soak time 0s, no approval). Fifty pushes (five commits per app, the apps in parallel)
 * go to the apps' repositories within seconds; the benchmark then waits, at most `--timeout-minutes`
 * (default 10), until every app's last commit is verified in production.
 *
 * It prints the time from the first push to the last verification, the config commits, the
 * `Deployment Failed`, reverts and `Rollback Committed`, the `Step Failed`, the (commit,
 * environment) pairs committed twice, and per app whether its last commit is verified in
 * production, beside the baseline of issue 12 (before the agent verified a request at a later
 * commit of a shared config repository); then, as its last line, one JSON object. It exits 0 only
 * when all ten last commits are verified in production with no deployment failed, nothing reverted
 * and no pair committed twice.
 *
 * Every server binds 127.0.0.1 on a free port, all state lives in a temporary directory, and
 * everything is stopped and removed at the end.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseDocument } from "yaml";
import * as z from "zod";
import { parseConfig } from "../functions/core/config/parse-config.js";
import type { ShiplineConfig } from "../functions/core/config/shipline-config.js";
import { DetailType } from "../functions/core/contracts/detail-type.js";
import type { EventEnvelope } from "../functions/core/contracts/event-envelope.js";
import { DEMO_APP_FILES } from "../functions/local/demo/demo-app-files.js";
import { pushAsDeveloper } from "../functions/local/demo/seed-demo.js";
import { connectLocalChain, type LocalChain } from "../functions/local/runtime/local-chain.js";
import { type LocalPlatform, startLocalPlatform } from "../functions/local/runtime/local-platform.js";

const APPS = 10;
const COMMITS_PER_APP = 5;
const CONFIG_REPOSITORY = "load-config";
const ENVIRONMENTS = ["staging", "production"] as const;

/** Issue 12's measurement of the same load before the fix. */
const BASELINE = {
  appsInProduction: 0,
  deploymentFailed: 49,
  reverts: 10,
  stepFailed: 38,
  pairsCommittedTwice: 11,
} as const;

/** The fields of event details the benchmark reads. */
const detailFields = z.looseObject({
  app: z.string().nullish(),
  commit: z.string().nullish(),
  environment: z.string().optional(),
  configCommit: z.string().optional(),
  syncedRevision: z.string().optional(),
  kind: z.string().optional(),
  reason: z.string().optional(),
  step: z.string().optional(),
  code: z.string().optional(),
});

interface Seen {
  readonly type: string;
  readonly detail: z.infer<typeof detailFields>;
  readonly at: number;
}

const appName = (index: number) => `app-${String(index + 1).padStart(2, "0")}`;

/** The example configuration with ten apps, one shared config repository, fast environments. */
async function loadConfig(): Promise<ShiplineConfig> {
  const example = new URL("../shipline.config.yaml", import.meta.url);
  const document = parseDocument(await readFile(example, "utf8"));
  document.setIn(["configRepo", "url"], `local:${CONFIG_REPOSITORY}`);
  document.setIn(
    ["environments"],
    document.createNode([
      {
        name: "staging",
        cluster: "local",
        approval: "auto",
        soakTime: "0s",
        autoRollback: true,
        verifyDeadline: "3m",
      },
      {
        name: "production",
        cluster: "local",
        promoteFrom: "staging",
        approval: "auto",
        soakTime: "0s",
        autoRollback: true,
        verifyDeadline: "3m",
      },
    ]),
  );
  document.deleteIn(["scanPolicy", "allowList"]);
  const apps = Array.from({ length: APPS }, (_, index) => {
    const name = appName(index);
    return {
      name,
      source: { repo: `local:${name}`, branch: "main", paths: ["**"], ignorePaths: ["**/*.md"] },
      image: { repository: name, tag: "{sha7}" },
      build: { dockerfile: "Dockerfile", context: "." },
      deploy: Object.fromEntries(
        ENVIRONMENTS.map((environment) => [
          environment,
          {
            kind: "helm",
            file: `envs/${environment}/${name}/values.yaml`,
            path: "image.tag",
            field: "tag",
            application: `${name}-${environment}`,
          },
        ]),
      ),
    };
  });
  document.setIn(["apps"], document.createNode(apps));
  return parseConfig(document.toString(), "load.bench.ts (generated shipline.config.yaml)");
}

/** The shared config repository: per app and environment a Helm values file and an Argo CD Application. */
function configFiles(repoUrl: string): Record<string, string> {
  const files: Record<string, string> = {
    "README.md": "# load-config\n\nOne config repository shared by ten apps (bench/load.bench.ts).\n",
  };
  for (let index = 0; index < APPS; index += 1) {
    const name = appName(index);
    for (const environment of ENVIRONMENTS) {
      files[`envs/${environment}/${name}/values.yaml`] =
        `# ${name} in ${environment}\nimage:\n  repository: ${name}\n  # Written by Shipline\n  tag: "bootstrap"\n`;
      files[`argocd/${name}-${environment}.yaml`] = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}-${environment}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoUrl}
    targetRevision: main
    path: envs/${environment}/${name}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${name}-${environment}
`;
    }
  }
  return files;
}

/** The sample service of `npm start`, answering a greeting that differs per app and commit. */
function appFiles(name: string, version: number): Record<string, string> {
  const server = DEMO_APP_FILES["server.js"] ?? "";
  return {
    ...DEMO_APP_FILES,
    "server.js": server.replace("Hello from the demo service", `Hello from ${name}, version ${version}`),
  };
}

/** Resolves once `done()` holds (checked on every event), or with false after `timeoutMs`. */
function waitUntil(done: () => boolean, listeners: Set<() => void>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      listeners.delete(check);
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      listeners.delete(check);
      resolve(false);
    }, timeoutMs);
    listeners.add(check);
    check();
  });
}

function timeoutMinutes(): number {
  const flag = process.argv.indexOf("--timeout-minutes");
  const value = flag < 0 ? Number.NaN : Number(process.argv[flag + 1]);
  return Number.isFinite(value) && value > 0 ? value : 10;
}

/** What the run shows, counted from the events of the bus. */
function measure(seen: readonly Seen[], lastCommits: ReadonlyMap<string, string>) {
  const of = (type: string) => seen.filter((event) => event.type === type);
  const committed = of(DetailType.ConfigCommitted);
  const configCommits = new Set(committed.map((event) => event.detail.configCommit)).size;
  const updates = new Map<string, Set<string>>();
  for (const event of committed) {
    if (event.detail.kind === "revert") continue;
    const key = `${event.detail.commit} ${event.detail.environment}`;
    const commits = updates.get(key) ?? new Set<string>();
    commits.add(event.detail.configCommit ?? "");
    updates.set(key, commits);
  }
  const verifiedInProduction = new Map<string, number>();
  for (const event of of(DetailType.DeploymentVerified)) {
    if (event.detail.environment !== "production" || !event.detail.app || !event.detail.commit) continue;
    if (lastCommits.get(event.detail.app) !== event.detail.commit) continue;
    if (!verifiedInProduction.has(event.detail.app)) verifiedInProduction.set(event.detail.app, event.at);
  }
  return {
    configCommits,
    deploymentFailed: of(DetailType.DeploymentFailed).length,
    reverts: new Set(
      committed.filter((event) => event.detail.kind === "revert").map((event) => event.detail.configCommit),
    ).size,
    rollbackCommitted: of(DetailType.RollbackCommitted).length,
    stepFailed: of(DetailType.StepFailed).length,
    pairsCommittedTwice: [...updates.values()].filter((commits) => commits.size > 1).length,
    syncRequested: of(DetailType.SyncRequested).length,
    deploymentVerified: of(DetailType.DeploymentVerified).length,
    verifiedAtLaterCommit: of(DetailType.DeploymentVerified).filter((event) => event.detail.syncedRevision)
      .length,
    verifiedInProduction,
  };
}

async function main(): Promise<number> {
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  const dir = await mkdtemp(join(tmpdir(), "shipline-load-bench-"));
  const seen: Seen[] = [];
  const errors: string[] = [];
  const listeners = new Set<() => void>();
  const onError = (error: unknown) => errors.push(error instanceof Error ? error.message : String(error));
  let platform: LocalPlatform | undefined;
  let chain: LocalChain | undefined;
  try {
    const config = await loadConfig();
    platform = await startLocalPlatform({
      dataDir: join(dir, "data"),
      onEvent: (envelope: EventEnvelope) => {
        const parsed = detailFields.safeParse(envelope.detail);
        seen.push({
          type: envelope["detail-type"],
          detail: parsed.success ? parsed.data : {},
          at: performance.now(),
        });
        for (const listener of listeners) listener();
      },
      onError,
    });
    const running = platform;
    await running.git.createRepository(CONFIG_REPOSITORY, { defaultBranch: "main" });
    await pushAsDeveloper({
      platform: running,
      repository: CONFIG_REPOSITORY,
      message: "Config repository shared by ten apps",
      files: configFiles(running.git.cloneUrl(CONFIG_REPOSITORY)),
    });
    chain = await connectLocalChain({ platform: running, config, onError, readinessTimeoutMs: 30_000 });
    for (let index = 0; index < APPS; index += 1) {
      await running.git.createRepository(appName(index), { defaultBranch: "main" });
    }

    console.log(`pushing ${APPS * COMMITS_PER_APP} commits to ${APPS} apps sharing one config repository…`);
    const lastCommits = new Map<string, string>();
    const firstPush = performance.now();
    await Promise.all(
      Array.from({ length: APPS }, async (_, index) => {
        const name = appName(index);
        for (let version = 1; version <= COMMITS_PER_APP; version += 1) {
          const commit = await pushAsDeveloper({
            platform: running,
            repository: name,
            files: appFiles(name, version),
            message: `${name}: version ${version}`,
          });
          lastCommits.set(name, commit);
        }
      }),
    );
    const pushSeconds = (performance.now() - firstPush) / 1000;
    console.log(`pushed in ${pushSeconds.toFixed(1)} s; waiting for every app's last commit in production…`);

    const limitMinutes = timeoutMinutes();
    const progress = setInterval(() => {
      const now = measure(seen, lastCommits);
      console.log(
        `  ${((performance.now() - firstPush) / 1000).toFixed(0)} s: ${now.verifiedInProduction.size}/${APPS} apps in production, ${now.configCommits} config commits, ${now.deploymentVerified} verified, ${now.deploymentFailed} failed`,
      );
    }, 30_000);
    const complete = await waitUntil(
      () => measure(seen, lastCommits).verifiedInProduction.size === APPS,
      listeners,
      limitMinutes * 60_000,
    );
    clearInterval(progress);
    await chain.idle();
    const result = measure(seen, lastCommits);
    const lastVerification = Math.max(...result.verifiedInProduction.values());
    const seconds = complete ? (lastVerification - firstPush) / 1000 : undefined;

    const rows: [string, string, string][] = [
      ["", "before (issue 12)", "now"],
      [
        "apps whose last commit is verified in production",
        `${BASELINE.appsInProduction} of ${APPS}`,
        `${result.verifiedInProduction.size} of ${APPS}`,
      ],
      [
        "first push to last verification (s)",
        "-",
        seconds === undefined ? `not within ${limitMinutes} min` : seconds.toFixed(1),
      ],
      ["pushes (s to push them)", "50 (12)", `${APPS * COMMITS_PER_APP} (${pushSeconds.toFixed(1)})`],
      ["config commits", "-", String(result.configCommits)],
      ["Deployment Failed", String(BASELINE.deploymentFailed), String(result.deploymentFailed)],
      [
        "reverts / Rollback Committed",
        String(BASELINE.reverts),
        `${result.reverts} / ${result.rollbackCommitted}`,
      ],
      ["Step Failed", String(BASELINE.stepFailed), String(result.stepFailed)],
      [
        "(commit, environment) pairs committed twice",
        String(BASELINE.pairsCommittedTwice),
        String(result.pairsCommittedTwice),
      ],
      ["Sync Requested / Deployment Verified", "-", `${result.syncRequested} / ${result.deploymentVerified}`],
      ["  verified at a later config commit (syncedRevision)", "-", String(result.verifiedAtLaterCommit)],
    ];
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
    for (const row of rows) {
      console.log(
        `${row[0].padEnd(widths[0] ?? 0)}  ${row[1].padStart(widths[1] ?? 0)}  ${row[2].padStart(widths[2] ?? 0)}`,
      );
    }
    for (let index = 0; index < APPS; index += 1) {
      const name = appName(index);
      const commit = lastCommits.get(name) ?? "";
      const at = result.verifiedInProduction.get(name);
      console.log(
        `  ${name} ${commit.slice(0, 7)}: ${at === undefined ? "NOT verified in production" : `verified in production after ${((at - firstPush) / 1000).toFixed(1)} s`}`,
      );
    }
    for (const event of seen.filter((entry) => entry.type === DetailType.DeploymentFailed).slice(0, 5)) {
      console.log(
        `  Deployment Failed ${event.detail.app} ${event.detail.environment}: ${event.detail.reason ?? ""}`,
      );
    }
    for (const event of seen.filter((entry) => entry.type === DetailType.StepFailed).slice(0, 5)) {
      console.log(
        `  Step Failed ${event.detail.step ?? ""} ${event.detail.app ?? ""}: ${event.detail.code ?? ""} ${event.detail.reason ?? ""}`,
      );
    }
    for (const error of errors.slice(0, 5)) console.log(`  error: ${error}`);
    const ok =
      complete &&
      result.deploymentFailed === 0 &&
      result.reverts === 0 &&
      result.rollbackCommitted === 0 &&
      result.pairsCommittedTwice === 0;
    console.log(
      JSON.stringify({
        ok,
        apps: APPS,
        pushes: APPS * COMMITS_PER_APP,
        pushSeconds: Number(pushSeconds.toFixed(1)),
        firstPushToLastVerificationSeconds: seconds === undefined ? null : Number(seconds.toFixed(1)),
        appsVerifiedInProduction: result.verifiedInProduction.size,
        configCommits: result.configCommits,
        deploymentFailed: result.deploymentFailed,
        reverts: result.reverts,
        rollbackCommitted: result.rollbackCommitted,
        stepFailed: result.stepFailed,
        syncRequested: result.syncRequested,
        deploymentVerified: result.deploymentVerified,
        verifiedAtLaterCommit: result.verifiedAtLaterCommit,
        pairsCommittedTwice: result.pairsCommittedTwice,
        baseline: BASELINE,
      }),
    );
    return ok ? 0 : 1;
  } finally {
    await chain?.stop().catch(onError);
    await platform?.stop().catch(onError);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
