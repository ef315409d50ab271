import { mkdir, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import type { GitCredentials } from "../../adapters/git/isomorphic-config-repository.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { readApplicationManifests } from "./application-manifest.js";
import { type ApplicationState, isSynced, renderApplication } from "./application-state.js";
import { ConfigTree } from "./config-tree.js";
import type { ImageSource } from "./image-files.js";
import { serveKubernetesApplications } from "./kubernetes-routes.js";
import { OciChartSource } from "./oci-chart-source.js";
import { readJsonBody } from "./read-json-body.js";
import { RenderedImages } from "./rendered-images.js";
import { serveKubernetesRollouts } from "./rollout-routes.js";
import { runSync, type SyncContext } from "./sync-operation.js";
import type { WorkloadProcess } from "./workload-process.js";

/** Options of {@link startArgoCdStandIn}. */
export interface ArgoCdStandInOptions {
  /** Clone URL of the config repository holding the Application manifests and what they deploy. */
  readonly repoUrl: string;
  /** The branch Applications track. @default "main" */
  readonly branch?: string;
  /** Read credentials for the git server (none when it allows anonymous reads). */
  readonly credentials?: () => Promise<GitCredentials>;
  /** The directory of the Application manifests in the config repository. @default "argocd" */
  readonly applicationsPath?: string;
  /** The local registry images are pulled from. */
  readonly images: ImageSource;
  /** Where the git copy and the unpacked workloads live. */
  readonly dataDir: string;
  /** The bearer token API calls must carry. @default - no token needed */
  readonly token?: string;
  /** How long a new workload has to answer its readiness endpoint. @default 60000 */
  readonly readinessTimeoutMs?: number;
  /** The readiness endpoint of workloads. @default "/health" */
  readonly healthPath?: string;
  /** How long a canary's `setWeight` step holds (a timed pause waits at most ten of these). @default 1000 */
  readonly canaryStepMs?: number;
  /** @default 0 - a free port */
  readonly port?: number;
  readonly clock?: Clock;
}

/** A running stand-in. */
export interface ArgoCdStandIn {
  /** `http://127.0.0.1:<port>`: the agent's Argo CD URL. */
  readonly url: string;
  readonly port: number;
  /**
   * The workload that serves an application now (the last version that became ready), or
   * undefined when none does: its config revision, image reference and `http://127.0.0.1` port.
   * A local-only view: Argo CD's API shows images, not endpoints.
   */
  serving(application: string): ServingView | undefined;
  /** Stops serving, stops every workload process it started and removes their files. */
  close(): Promise<void>;
}

/** What {@link ArgoCdStandIn.serving} tells of a serving workload. */
export interface ServingView {
  /** The config repository revision it was deployed from. */
  readonly revision: string;
  /** The image reference it runs (`<registry>/<repository>:<tag>`). */
  readonly reference: string;
  /** The port it listens on at 127.0.0.1. */
  readonly port: number;
}

const IN_PROGRESS = "another operation is already in progress";

/**
 * The local runtime's cluster: an Argo CD API stand-in on 127.0.0.1 serving what the agent uses,
 * with Argo CD's JSON shapes — `GET /api/v1/applications`, `GET /api/v1/applications/{name}`
 * (`?refresh=normal|hard` re-reads git first, and auto-syncs an `automated` application that is
 * OutOfSync at the new head), `POST /api/v1/applications/{name}/sync` (`{ revision }`; 400 while an
 * operation runs, or for another revision than an auto-synced application tracks) and
 * `GET /api/v1/applications/{name}/revisions/{revision}/metadata`; and, over the same state, the
 * Kubernetes API's `Application` resources (get, list and merge-patch: see
 * `serveKubernetesApplications`), which need any non-empty bearer token rather than `token`. Applications are the
 * `Application` manifests in `applicationsPath` of the config repository. An application whose
 * revision renders an Argo Rollouts `Rollout` reports it as its resource, rolls a new version out
 * through its canary steps (see `runSync`), and serves it as Argo CD does
 * (`GET /api/v1/applications/{name}/resource?…&kind=Rollout` answers `{ manifest }`,
 * `POST …/resource/actions` with `"promote"` or `"resume"` ends a pause) and as the Kubernetes API
 * does (see `serveKubernetesRollouts`); a sync deploys the
 * workload image of the exact revision as a local process (see `runSync`). As Argo CD does, a
 * refresh compares each application with the branch head (its `sync.revision`): `Synced` when the
 * image its source renders there is the one it deployed, whatever other apps' commits changed, so
 * a config repository shared by several apps does not put them all OutOfSync. Errors use
 * grpc-gateway's body `{ error, code, message }`.
 *
 * @example
 * ```ts
 * const argocd = await startArgoCdStandIn({ repoUrl: git.cloneUrl("config"), images: registry, dataDir });
 * // agent: new ArgoCdClient({ baseUrl: argocd.url, token: async () => "" })
 * // or:    new KubernetesArgoCdClient({ server: argocd.url, token: async () => "any-token" })
 * await argocd.close();
 * ```
 */
export async function startArgoCdStandIn(options: ArgoCdStandInOptions): Promise<ArgoCdStandIn> {
  const clock = options.clock ?? systemClock;
  const branch = options.branch ?? "main";
  const workloadsDir = path.join(options.dataDir, "workloads");
  await mkdir(workloadsDir, { recursive: true });
  const tree = new ConfigTree({
    url: options.repoUrl,
    branch,
    dir: path.join(options.dataDir, "config.git"),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const applications = new Map<string, ApplicationState>();
  // Charts come from the registry images come from, over the distribution API, as helm pulls them.
  const charts = new OciChartSource(options.images.host);
  const rendered = new RenderedImages(tree, { charts });
  const processes = new Set<WorkloadProcess>();
  const syncs = new Set<Promise<void>>();
  const context: SyncContext = {
    tree,
    images: options.images,
    charts,
    workloadsDir,
    readinessTimeoutMs: options.readinessTimeoutMs ?? 60_000,
    healthPath: options.healthPath ?? "/health",
    ...(options.canaryStepMs === undefined ? {} : { canaryStepMs: options.canaryStepMs }),
    clock,
    track: (process) => {
      processes.add(process);
      void process.exited.then(() => processes.delete(process));
    },
  };
  const startSync = (state: ApplicationState, revision: string) => {
    const sync = runSync({ state, revision, context }).finally(() => syncs.delete(sync));
    syncs.add(sync);
  };

  /** Fetches the branch, reads the Applications at its head and auto-syncs the automated ones. */
  let refreshing: Promise<void> = Promise.resolve();
  const refresh = () => {
    refreshing = refreshing.then(async () => {
      const head = await tree.fetch();
      const manifests = await readApplicationManifests({
        tree,
        commit: head,
        directory: options.applicationsPath ?? "argocd",
      });
      for (const manifest of manifests) {
        const known = applications.get(manifest.metadata.name);
        const state: ApplicationState = known ?? { manifest, health: { status: "Missing" }, history: [] };
        state.manifest = manifest;
        applications.set(manifest.metadata.name, state);
        const pinned = /^[0-9a-f]{40}$/.test(manifest.spec.source.targetRevision)
          ? manifest.spec.source.targetRevision
          : head;
        const compared = await rendered.imageAt(manifest, pinned);
        const running = state.operation?.phase === "Running";
        if (!running) {
          state.syncRevision = pinned;
          if (compared === undefined) delete state.comparedImage;
          else state.comparedImage = compared;
        }
        state.reconciledAt = clock.now().toISOString();
        const automated =
          manifest.spec.syncPolicy?.automated !== undefined && manifest.spec.syncPolicy?.automated !== null;
        if (automated && !running && !isSynced(state) && state.operation?.revision !== pinned) {
          startSync(state, pinned);
        }
      }
    });
    return refreshing;
  };

  const resolveRevision = async (wanted: string | undefined) => {
    const head = await tree.fetch();
    return wanted === undefined || wanted === branch || wanted === "HEAD" ? head : wanted;
  };
  const kubernetesContext = {
    applications,
    refresh,
    sync: async (state: ApplicationState, revision: string) =>
      startSync(state, await resolveRevision(revision)),
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const retryable = error instanceof ShiplineError && error.retryable;
      sendError(
        response,
        retryable ? 503 : 500,
        retryable ? 14 : 13,
        error instanceof Error ? error.message : String(error),
      );
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (await serveKubernetesRollouts(request, response, applications)) return;
    if (await serveKubernetesApplications(request, response, kubernetesContext)) return;
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      sendError(response, 401, 16, "no session information");
      return;
    }
    const parts = url.pathname
      .split("/")
      .filter((part) => part !== "")
      .map(decodeURIComponent);
    if (parts[0] !== "api" || parts[1] !== "v1" || parts[2] !== "applications") {
      sendError(response, 404, 5, `${url.pathname} is not served by the Argo CD stand-in`);
      return;
    }
    const [, , , name, action, revision, leaf] = parts;
    if (name === undefined && request.method === "GET") {
      if (applications.size === 0) await refresh();
      sendJson(response, 200, { metadata: {}, items: [...applications.values()].map(renderApplication) });
      return;
    }
    if (name === undefined) return sendError(response, 405, 12, "method not allowed");
    const refreshMode = url.searchParams.get("refresh");
    if (
      !applications.has(name) ||
      (request.method === "GET" && action === undefined && refreshMode !== null)
    ) {
      await refresh();
    }
    const state = applications.get(name);
    if (state === undefined) {
      sendError(response, 404, 5, `applications.argoproj.io "${name}" not found`);
      return;
    }
    if (request.method === "GET" && action === undefined) {
      sendJson(response, 200, renderApplication(state));
      return;
    }
    if (request.method === "POST" && action === "sync" && revision === undefined) {
      const body = await readJson(request);
      const wanted = typeof body.revision === "string" && body.revision !== "" ? body.revision : undefined;
      if (state.operation?.phase === "Running") return sendError(response, 400, 9, IN_PROGRESS);
      const tracked = state.manifest.spec.source.targetRevision;
      const automated = state.manifest.spec.syncPolicy?.automated;
      if (automated !== undefined && automated !== null && wanted !== undefined && wanted !== tracked) {
        return sendError(response, 400, 9, `Cannot sync to ${wanted}: auto-sync currently set to ${tracked}`);
      }
      startSync(state, await resolveRevision(wanted));
      sendJson(response, 200, renderApplication(state));
      return;
    }
    if (action === "resource" && (revision === undefined || revision === "actions")) {
      const rollout = state.rollout;
      const asked = url.searchParams;
      if (
        rollout === undefined ||
        asked.get("kind") !== "Rollout" ||
        asked.get("group") !== "argoproj.io" ||
        asked.get("resourceName") !== rollout.name ||
        (asked.get("namespace") ?? rollout.namespace) !== rollout.namespace
      ) {
        return sendError(
          response,
          404,
          5,
          `${asked.get("kind") ?? "resource"} "${asked.get("resourceName") ?? ""}" not found`,
        );
      }
      if (request.method === "GET" && revision === undefined) {
        return sendJson(response, 200, { manifest: JSON.stringify(rollout.render()) });
      }
      if (request.method === "POST" && revision === "actions") {
        const wanted = await readJsonBody(request);
        if (wanted !== "promote" && wanted !== "resume") {
          return sendError(
            response,
            400,
            3,
            `action ${JSON.stringify(wanted)} is not available on Rollout ${rollout.name}`,
          );
        }
        rollout.promote();
        return sendJson(response, 200, {});
      }
    }
    if (request.method === "GET" && action === "revisions" && revision !== undefined && leaf === "metadata") {
      const facts = (await tree.commit(revision)) ?? (await tree.fetch().then(() => tree.commit(revision)));
      if (facts === undefined) return sendError(response, 404, 5, `revision ${revision} not found`);
      sendJson(response, 200, {
        author: facts.author,
        date: facts.date.toISOString(),
        tags: [],
        message: facts.message,
      });
      return;
    }
    sendError(response, 404, 5, `${request.method} ${url.pathname} is not served by the Argo CD stand-in`);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    serving(application) {
      const serving = applications.get(application)?.serving;
      return serving === undefined
        ? undefined
        : { revision: serving.revision, reference: serving.reference, port: serving.process.port };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const state of applications.values()) state.rollout?.cancel();
      await Promise.all([...processes].map((process) => process.stop(2000)));
      await Promise.allSettled([...syncs]);
      await Promise.all([...applications.values()].map((state) => state.serving?.process.stop(2000)));
      await refreshing.catch(() => undefined);
      await rm(workloadsDir, { recursive: true, force: true });
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** grpc-gateway's error body, with the gRPC code Argo CD's server would use. */
function sendError(response: ServerResponse, status: number, code: number, message: string): void {
  if (response.headersSent) return void response.destroy();
  sendJson(response, status, { error: message, code, message });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const value = await readJsonBody(request, {});
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
}
