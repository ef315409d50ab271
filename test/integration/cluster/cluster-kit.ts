import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ArgoCdClient } from "../../../functions/adapters/argocd/argocd-client.js";
import { KubernetesArgoCdClient } from "../../../functions/adapters/argocd/kubernetes-argocd-client.js";
import { LocalEventBus } from "../../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../../functions/adapters/local/local-event-publisher.js";
import { LocalMessageQueue } from "../../../functions/adapters/local/local-message-queue.js";
import { AgentMetrics } from "../../../functions/agent/agent-metrics.js";
import { SyncAgent } from "../../../functions/agent/sync-agent.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import type { EventEnvelope } from "../../../functions/core/contracts/event-envelope.js";
import { clusterQueueRule } from "../../../functions/core/topology/cluster-queue-rule.js";
import { type ArgoCdStandIn, startArgoCdStandIn } from "../../../functions/local/argocd/argocd-stand-in.js";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/local-registry.js";
import { localRepositoryCredentials } from "../../../functions/local/writer/local-repository-credentials.js";
import { git } from "../local/git-server-kit.js";
import { descriptorOf, pushBlob, pushManifest, sha256, tarOf } from "../local/registry-test-image.js";
import { startWriterHarness, WRITER_ROLE, type WriterHarness } from "../writer/writer-kit.js";

/** The source commit every request of these tests is about. */
export const SOURCE_COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** The Argo CD token the stand-in asks for. */
export const TOKEN = "argocd-token-for-tests";

/** The ServiceAccount token the agent shows the stand-in's Kubernetes API (any non-empty one passes). */
export const SERVICE_ACCOUNT_TOKEN = "projected-service-account-token";

/** The readiness behaviours of the test images, by tag. */
export const SERVERS = {
  /** Answers 200 on /health. */
  healthy: "res.writeHead(200).end('ok');",
  /** Answers 500 on /health. */
  unhealthy: "res.writeHead(500).end('broken');",
  /** Answers 503 on /health: never ready. */
  slow: "res.writeHead(503).end('starting');",
  /** Answers 200 on /health: another healthy version, to roll out after `healthy`. */
  next: "res.writeHead(200).end('ok');",
} as const;

/** Pushes a Node image whose CMD serves /health with one of {@link SERVERS}; answers its digest. */
export async function pushServerImage(registry: LocalRegistry, tag: keyof typeof SERVERS): Promise<string> {
  const script = `const http = require("node:http");
http.createServer((req, res) => { if (req.url === "/health") { ${SERVERS[tag]} } else { res.end("${tag}"); } })
  .listen(Number(process.env.PORT), process.env.HOST);
`;
  const tar = tarOf({ "app/server.js": script });
  const layerContent = gzipSync(tar);
  const layer = {
    content: layerContent,
    digest: sha256(layerContent),
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
  };
  const configContent = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Cmd: ["node", "/app/server.js"], WorkingDir: "/app", Env: ["NODE_ENV=production"] },
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    }),
  );
  const config = {
    content: configContent,
    digest: sha256(configContent),
    mediaType: "application/vnd.oci.image.config.v1+json",
  };
  const manifestContent = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptorOf(config),
      layers: [descriptorOf(layer)],
    }),
  );
  for (const blob of [layer, config]) {
    const response = await pushBlob(registry.url, "demo", blob);
    if (response.status !== 201) throw new Error(`blob push answered ${response.status}`);
  }
  const manifest = {
    content: manifestContent,
    digest: sha256(manifestContent),
    mediaType: "application/vnd.oci.image.manifest.v1+json",
  };
  const response = await pushManifest(registry.url, "demo", manifest, tag);
  if (response.status !== 201) throw new Error(`manifest push answered ${response.status}`);
  return manifest.digest;
}

/** An Argo CD Application manifest for `demo-dev`, deploying `envs/dev` of the config repository. */
export function applicationManifest(options: {
  readonly automated: boolean;
  readonly repoUrl: string;
}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: demo-dev
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${options.repoUrl}
    path: envs/dev
    targetRevision: main
  destination:
    server: https://kubernetes.default.svc
    namespace: demo
${options.automated ? "  syncPolicy:\n    automated:\n      prune: true\n" : ""}`;
}

/** The Helm values of `envs/dev` asking for a tag of the registry's `demo` image. */
export function values(registry: LocalRegistry, tag: string): string {
  return `# demo in dev\nimage:\n  repository: ${registry.host}/demo\n  tag: ${tag}\n`;
}

/** Shared parts: a git host, a registry with the test images. */
export interface ClusterWorld {
  readonly dir: string;
  readonly git: WriterHarness;
  readonly registry: LocalRegistry;
  readonly digests: Readonly<Record<keyof typeof SERVERS, string>>;
  stop(): Promise<void>;
}

/** Starts the git host and the registry, and pushes the three test images. */
export async function startClusterWorld(): Promise<ClusterWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-cluster-test-"));
  const harness = await startWriterHarness();
  const registry = await startLocalRegistry({ dataDir: path.join(dir, "registry") });
  const digests = {
    healthy: await pushServerImage(registry, "healthy"),
    unhealthy: await pushServerImage(registry, "unhealthy"),
    slow: await pushServerImage(registry, "slow"),
    next: await pushServerImage(registry, "next"),
  };
  return {
    dir,
    git: harness,
    registry,
    digests,
    async stop() {
      await registry.close();
      await harness.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Commits files on top of `main` of a repository with the given commit time; answers the sha. */
export async function commitAt(
  world: ClusterWorld,
  repository: string,
  files: Record<string, string>,
  at: Date,
): Promise<string> {
  const work = await world.git.cliClone(repository);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await writeFile(path.join(work, file), content);
  }
  const stamp = `${Math.floor(at.getTime() / 1000)} +0000`;
  const env = { ...world.git.env, GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
  for (const args of [
    ["add", "--all"],
    ["commit", "--quiet", "-m", `config at ${at.toISOString()}`],
    ["push", "--quiet", "origin", "HEAD:refs/heads/main"],
  ]) {
    const result = await git(args, { cwd: work, env });
    if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  }
  return (await world.git.run(work, ["rev-parse", "HEAD"])).trim();
}

/** One cluster of a test: its config repository, Argo CD stand-in, queue, bus and agent. */
export interface Cluster {
  readonly repository: string;
  readonly queue: LocalMessageQueue;
  readonly bus: LocalEventBus;
  readonly metrics: AgentMetrics;
  readonly agent: SyncAgent;
  /** Every Deployment Verified / Failed published, in order. */
  readonly outcomes: EventEnvelope[];
  argocd: ArgoCdStandIn | undefined;
  /** Starts (or restarts, on the same port when there was one) the Argo CD stand-in. */
  startArgoCd(options?: {
    readonly port?: number;
    readonly readinessTimeoutMs?: number;
  }): Promise<ArgoCdStandIn>;
  /** Publishes a Sync Requested for `revision` on the bus (routed to the queue by the cluster-queue rule). */
  requestSync(
    revision: string,
    options?: {
      readonly deadline?: Date;
      readonly tag?: string;
      readonly application?: string;
      /** When the config commit was announced (dispatch-sync passes its Config Committed's time). */
      readonly committedAt?: Date;
      /** The environment's canary policy, as dispatch-sync passes it. */
      readonly rollout?: { readonly promotePauses: boolean; readonly until: Date };
    },
  ): Promise<void>;
  /** Resolves with the outcomes once there are `count` of them. */
  waitForOutcomes(count: number): Promise<EventEnvelope[]>;
  stop(): Promise<void>;
}

/** Seeds a config repository and sets up a cluster whose agent watches it through the stand-in. */
export async function startCluster(
  world: ClusterWorld,
  options: {
    readonly automated: boolean;
    readonly tag: keyof typeof SERVERS | "missing";
    readonly readinessTimeoutMs?: number;
    /** How long a canary step holds in the stand-in. @default 1000 */
    readonly canaryStepMs?: number;
    /**
     * How the agent reaches the stand-in: Argo CD's API with {@link TOKEN}, or the Kubernetes API's
     * Application resources with a ServiceAccount-like token. @default "api-token"
     */
    readonly mode?: "api-token" | "kubernetes";
  },
): Promise<Cluster> {
  const repository = `config-${randomUUID().slice(0, 8)}`;
  const dataDir = await mkdtemp(path.join(world.dir, "argocd-"));
  await world.git.seed(repository, {
    "argocd/demo-dev.yaml": applicationManifest({
      automated: options.automated,
      repoUrl: world.git.server.cloneUrl(repository),
    }),
    "envs/dev/values.yaml": values(world.registry, options.tag),
  });
  const queue = new LocalMessageQueue({ name: `cluster-${repository}`, visibilityTimeoutSeconds: 30 });
  const bus = new LocalEventBus({ baseDelayMs: 10, maxDelayMs: 50 });
  const outcomes: EventEnvelope[] = [];
  bus.addRule(clusterQueueRule("local"), async (event) => {
    await queue.send({ body: JSON.stringify(event) });
  });
  bus.addRule(
    {
      name: "capture-outcomes",
      description: "Keeps the agent's outcomes for the test",
      bus: "shipline",
      eventPattern: {
        source: ["shipline"],
        "detail-type": [DetailType.DeploymentVerified, DetailType.DeploymentFailed],
      },
      target: { kind: "step", step: "notify" },
      retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    },
    async (event) => {
      outcomes.push(event);
    },
  );
  const publisher = new LocalEventPublisher(bus);
  const metrics = new AgentMetrics();
  const startArgoCd = (start: { readonly port?: number; readonly readinessTimeoutMs?: number } = {}) =>
    startArgoCdStandIn({
      repoUrl: world.git.server.cloneUrl(repository),
      credentials: localRepositoryCredentials({ oidc: world.git.oidc, subject: WRITER_ROLE, repository }),
      images: world.registry,
      dataDir,
      token: TOKEN,
      readinessTimeoutMs: start.readinessTimeoutMs ?? options.readinessTimeoutMs ?? 30_000,
      ...(options.canaryStepMs === undefined ? {} : { canaryStepMs: options.canaryStepMs }),
      ...(start.port === undefined ? {} : { port: start.port }),
    });
  const first = await startArgoCd();
  const client =
    options.mode === "kubernetes"
      ? new KubernetesArgoCdClient({
          server: first.url,
          token: async () => SERVICE_ACCOUNT_TOKEN,
          namespace: "argocd",
          timeoutMs: 5000,
          refreshPollMs: 50,
        })
      : new ArgoCdClient({ baseUrl: first.url, token: async () => TOKEN, timeoutMs: 5000 });
  const agent = new SyncAgent({
    queue,
    argocd: client,
    rollouts: client,
    publisher,
    metrics,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 10,
    backoffSeconds: 1,
    pollIntervalMs: 100,
    refreshEvery: 3,
  });
  const cluster: Cluster = {
    repository,
    queue,
    bus,
    metrics,
    agent,
    outcomes,
    argocd: first,
    async startArgoCd(start = {}) {
      cluster.argocd = await startArgoCd(start);
      return cluster.argocd;
    },
    async requestSync(revision, request = {}) {
      await publisher.publish([
        {
          detailType: DetailType.SyncRequested,
          detail: {
            app: "demo",
            commit: SOURCE_COMMIT,
            correlationId: `corr-${revision.slice(0, 7)}`,
            environment: "dev",
            cluster: "local",
            application: request.application ?? "demo-dev",
            revision,
            deadline: (request.deadline ?? new Date(Date.now() + 60_000)).toISOString(),
            ...(request.tag === undefined ? {} : { tag: request.tag }),
            ...(request.committedAt === undefined ? {} : { committedAt: request.committedAt.toISOString() }),
            ...(request.rollout === undefined
              ? {}
              : {
                  rollout: {
                    promotePauses: request.rollout.promotePauses,
                    until: request.rollout.until.toISOString(),
                  },
                }),
          },
        },
      ]);
    },
    async waitForOutcomes(count) {
      while (outcomes.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
      await bus.drain();
      return [...outcomes];
    },
    async stop() {
      await agent.stop();
      await cluster.argocd?.close();
      await bus.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  void agent.run();
  return cluster;
}

/** Resolves once the agent is idle: nothing in flight and the queue empty. */
export async function settled(running: Cluster): Promise<void> {
  for (;;) {
    const counts = running.queue.counts();
    if (counts.visible + counts.inFlight + counts.delayed === 0 && running.agent.health().inFlight === 0)
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
