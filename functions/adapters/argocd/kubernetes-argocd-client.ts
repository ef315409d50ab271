import * as z from "zod";
import {
  type ArgoRollout,
  argoRollout,
  ROLLOUT_GROUP,
  ROLLOUT_VERSION,
  type RolloutRef,
} from "../../core/agent/argo-rollout.js";
import type { ArgoCdApi, RefreshMode } from "../../core/agent/argocd-api.js";
import {
  type ArgoCdApplication,
  argoCdApplication,
  type RevisionMetadata,
} from "../../core/agent/argocd-application.js";
import type { RolloutsApi } from "../../core/agent/rollouts-api.js";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type HttpAnswer, sendRequest } from "./send-request.js";

/** The annotation Argo CD's controller watches to refresh an Application, and removes once it has. */
export const REFRESH_ANNOTATION = "argocd.argoproj.io/refresh";

/** Who the agent's sync operations are initiated by, as Argo CD shows it. */
export const AGENT_USERNAME = "shipline-agent";

/** Options of {@link KubernetesArgoCdClient}. */
export interface KubernetesArgoCdClientOptions {
  /** The Kubernetes API server, e.g. `https://10.100.0.1:443` (from `KUBERNETES_SERVICE_HOST`/`PORT`). */
  readonly server: string;
  /** The ServiceAccount's projected token; asked for on every request, since the kubelet rotates it. */
  readonly token: () => Promise<string>;
  /** The cluster's CA (PEM, the ServiceAccount's `ca.crt`). @default - Node's trusted CAs */
  readonly ca?: string | Buffer;
  /** Argo CD's namespace, where Applications live unless a name says `<namespace>/<name>`. @default "argocd" */
  readonly namespace?: string;
  /** Time-out of one request. @default 10000 */
  readonly timeoutMs?: number;
  /** How long a refreshing read waits for the controller to take the refresh annotation off. @default 10000 */
  readonly refreshWaitMs?: number;
  /** Time between two reads while waiting for a refresh. @default 250 */
  readonly refreshPollMs?: number;
}

/** A Kubernetes `Status` error body. */
const statusBody = z.looseObject({ message: z.string().optional(), reason: z.string().optional() });

/** The fields beyond the agent's Application schema this client reads. */
const operated = z.looseObject({
  metadata: z.looseObject({
    annotations: z.record(z.string(), z.string()).nullish(),
    resourceVersion: z.string().optional(),
  }),
  operation: z.looseObject({}).nullish(),
});

/**
 * The {@link ArgoCdApi} over the Kubernetes API, as Argo CD's core mode and Kargo's argocd-update
 * step operate Applications: no Argo CD token, only the agent's ServiceAccount, which needs `get` and
 * `patch` on `applications.argoproj.io` in Argo CD's namespace.
 *
 * - read: `GET /apis/argoproj.io/v1alpha1/namespaces/{ns}/applications/{name}`;
 * - refresh: a JSON merge patch setting the `argocd.argoproj.io/refresh` annotation, then reads until
 *   the controller has taken it off (or `refreshWaitMs` passes: the status is then the last one read);
 * - sync: a JSON merge patch setting the Application's `operation` to a sync of the revision. While
 *   an operation is pending (`operation` set) or `status.operationState.phase` is `Running`, it throws
 *   `ARGOCD_OPERATION_IN_PROGRESS` instead, as Argo CD's API server does. The patch carries the
 *   read's `metadata.resourceVersion`, so an operation someone set in between makes it a 409.
 *
 * Argo Rollouts (the ServiceAccount then also needs `get` and `patch` on `rollouts.argoproj.io` and
 * `rollouts/status` in the workload's namespace): a Rollout is read at
 * `GET /apis/argoproj.io/v1alpha1/namespaces/{ns}/rollouts/{name}`, and promoted as
 * `kubectl argo rollouts promote` does it: a merge patch `{"status":{"pauseConditions":null}}` on
 * the `status` subresource when it has pause conditions, and `{"spec":{"paused":false}}` when
 * `spec.paused` is set.
 *
 * Commit metadata lives in Argo CD's repo server, which the Kubernetes API does not reach:
 * {@link KubernetesArgoCdClient.revisionMetadata} throws a permanent `ARGOCD_REQUEST_REJECTED`, so
 * revisions are of unknown order (requests are handled rather than skipped as stale). Statuses map
 * to the port's codes: 401/403 `ARGOCD_UNAUTHORIZED`, 404 `ARGOCD_APPLICATION_NOT_FOUND`, 409
 * `ARGOCD_OPERATION_IN_PROGRESS`, 429/5xx and network errors `ARGOCD_UNREACHABLE`, others
 * `ARGOCD_REQUEST_REJECTED`. The token never appears in an error.
 *
 * @example
 * ```ts
 * const argocd = new KubernetesArgoCdClient({ server: "https://10.100.0.1:443", token: () => readFile(tokenFile, "utf8"), ca });
 * const application = await argocd.getApplication("demo-staging", { refresh: "normal" });
 * await argocd.syncApplication("demo-staging", { revision });
 * ```
 */
export class KubernetesArgoCdClient implements ArgoCdApi, RolloutsApi {
  readonly #options: KubernetesArgoCdClientOptions;
  readonly #server: URL;

  constructor(options: KubernetesArgoCdClientOptions) {
    const server = new URL(options.server);
    if (server.username !== "" || server.password !== "") {
      throw new ShiplineError({
        code: "CONFIG_INVALID",
        message:
          "the Kubernetes API URL carries credentials; remove them, the agent uses its ServiceAccount token",
      });
    }
    this.#options = options;
    this.#server = server;
  }

  async getApplication(
    name: string,
    options: { readonly refresh?: RefreshMode } = {},
  ): Promise<ArgoCdApplication> {
    if (options.refresh === undefined) return (await this.#read(name)).application;
    let current = await this.#patch(name, {
      metadata: { annotations: { [REFRESH_ANNOTATION]: options.refresh } },
    });
    const until = Date.now() + (this.#options.refreshWaitMs ?? 10_000);
    while (current.refreshing && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, this.#options.refreshPollMs ?? 250));
      current = await this.#read(name);
    }
    return current.application;
  }

  async syncApplication(name: string, options: { readonly revision: string }): Promise<void> {
    const current = await this.#read(name);
    if (current.operating) {
      throw new ShiplineError({
        code: "ARGOCD_OPERATION_IN_PROGRESS",
        message: `Argo CD is running another operation on '${name}'; the sync is asked again once it ends`,
        data: { application: name, phase: current.application.status?.operationState?.phase ?? "pending" },
        retryable: true,
      });
    }
    // The read's resourceVersion makes the write conditional: an operation set in between is a 409.
    await this.#patch(name, {
      ...(current.resourceVersion === undefined
        ? {}
        : { metadata: { resourceVersion: current.resourceVersion } }),
      operation: {
        initiatedBy: { username: AGENT_USERNAME },
        sync: { revision: options.revision, prune: false, syncStrategy: { hook: {} } },
      },
    });
  }

  async revisionMetadata(name: string, revision: string): Promise<RevisionMetadata> {
    throw new ShiplineError({
      code: "ARGOCD_REQUEST_REJECTED",
      message: `the metadata of revision ${revision} of '${name}' is Argo CD's repo server's, which the Kubernetes API does not serve; its commit time is unknown`,
      data: { application: name, revision },
    });
  }

  async getRollout(application: string, ref: RolloutRef): Promise<ArgoRollout> {
    const answer = await this.#call("GET", application, undefined, rolloutPath(ref)).catch(
      (error: unknown) => {
        throw aboutRollout(error, ref);
      },
    );
    const parsed = argoRollout.safeParse(safeJson(answer.body));
    if (!parsed.success) {
      throw new ShiplineError({
        code: "ARGOCD_RESPONSE_INVALID",
        message: `the Kubernetes API's answer for Rollout ${ref.name} is not a Rollout: ${formatIssues(parsed.error.issues).join("; ")}; check that the API server URL is the cluster's`,
        data: { application, rollout: ref.name },
      });
    }
    return parsed.data;
  }

  async promoteRollout(application: string, ref: RolloutRef): Promise<void> {
    const rollout = await this.getRollout(application, ref);
    if ((rollout.status?.pauseConditions ?? []).length > 0) {
      await this.#call(
        "PATCH",
        application,
        { status: { pauseConditions: null } },
        `${rolloutPath(ref)}/status`,
      ).catch((error: unknown) => {
        throw aboutRollout(error, ref);
      });
    }
    if (rollout.spec?.paused === true) {
      await this.#call("PATCH", application, { spec: { paused: false } }, rolloutPath(ref)).catch(
        (error: unknown) => {
          throw aboutRollout(error, ref);
        },
      );
    }
  }

  async #read(name: string): Promise<Read> {
    return this.#parse(name, await this.#call("GET", name, undefined));
  }

  async #patch(name: string, patch: Record<string, unknown>): Promise<Read> {
    return this.#parse(name, await this.#call("PATCH", name, patch));
  }

  #parse(name: string, answer: HttpAnswer): Read {
    const raw = safeJson(answer.body);
    const application = argoCdApplication.safeParse(raw);
    const extra = operated.safeParse(raw);
    if (!application.success || !extra.success) {
      const issues = application.success ? (extra.error?.issues ?? []) : application.error.issues;
      throw new ShiplineError({
        code: "ARGOCD_RESPONSE_INVALID",
        message: `the Kubernetes API's answer for application ${name} is not an Application: ${formatIssues(issues).join("; ")}; check that the API server URL is the cluster's`,
        data: { application: name },
      });
    }
    return {
      application: application.data,
      ...(extra.data.metadata.resourceVersion === undefined
        ? {}
        : { resourceVersion: extra.data.metadata.resourceVersion }),
      refreshing: extra.data.metadata.annotations?.[REFRESH_ANNOTATION] !== undefined,
      operating:
        (extra.data.operation !== undefined && extra.data.operation !== null) ||
        application.data.status?.operationState?.phase === "Running",
    };
  }

  async #call(
    method: "GET" | "PATCH",
    name: string,
    patch: Record<string, unknown> | undefined,
    /** Another resource's path than the application's (a Rollout's). */
    resourcePath?: string,
  ): Promise<HttpAnswer> {
    const [namespace, application] = split(name, this.#options.namespace ?? "argocd");
    const url = new URL(
      `${this.#server.pathname.replace(/\/$/, "")}${resourcePath ?? `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/applications/${encodeURIComponent(application)}`}`,
      this.#server,
    );
    const what = `${method} ${url.pathname}`;
    const token = (await this.#options.token()).trim();
    let answer: HttpAnswer;
    try {
      answer = await sendRequest(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(patch === undefined ? {} : { "content-type": "application/merge-patch+json" }),
        },
        body: patch === undefined ? undefined : JSON.stringify(patch),
        timeoutMs: this.#options.timeoutMs ?? 10_000,
        ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
      });
    } catch (error) {
      throw new ShiplineError({
        code: "ARGOCD_UNREACHABLE",
        message: `the Kubernetes API at ${this.#server.origin} did not answer ${what}: ${error instanceof Error ? error.message : String(error)}; check KUBERNETES_SERVICE_HOST and the cluster's network policies`,
        data: { url: this.#server.origin, request: what },
        retryable: true,
        cause: error,
      });
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw errorOf(answer, { what, name, namespace, origin: this.#server.origin });
  }
}

/** One read of an Application: what the agent judges, and the two facts this client acts on. */
interface Read {
  readonly application: ArgoCdApplication;
  /** The refresh annotation is still on: the controller has not refreshed yet. */
  readonly refreshing: boolean;
  /** An operation is pending or running. */
  readonly operating: boolean;
  /** The object's version, for a conditional write. */
  readonly resourceVersion?: string;
}

function errorOf(
  answer: HttpAnswer,
  context: {
    readonly what: string;
    readonly name: string;
    readonly namespace: string;
    readonly origin: string;
  },
): ShiplineError {
  const parsed = statusBody.safeParse(safeJson(answer.body));
  const message = (parsed.success ? parsed.data.message : undefined) ?? answer.body.slice(0, 300);
  const { what, name, namespace } = context;
  const data = { request: what, status: answer.status, application: name };
  if (answer.status === 401 || answer.status === 403) {
    return new ShiplineError({
      code: "ARGOCD_UNAUTHORIZED",
      message: `the Kubernetes API answered ${answer.status} to ${what}: ${message}; check that the agent's ServiceAccount is bound to a Role granting get and patch on applications.argoproj.io in namespace '${namespace}' (the chart's argocd.namespace)`,
      data,
      retryable: true,
    });
  }
  if (answer.status === 404) {
    return new ShiplineError({
      code: "ARGOCD_APPLICATION_NOT_FOUND",
      message: `there is no Argo CD Application '${name}' in namespace '${namespace}' (${what}: ${message}); create it, or set deploy.<environment>.application to its name`,
      data,
    });
  }
  if (answer.status === 409) {
    return new ShiplineError({
      code: "ARGOCD_OPERATION_IN_PROGRESS",
      message: `Application '${name}' changed while the agent wrote it (${message}); it is asked again`,
      data,
      retryable: true,
    });
  }
  if (answer.status >= 500 || answer.status === 429) {
    return new ShiplineError({
      code: "ARGOCD_UNREACHABLE",
      message: `the Kubernetes API at ${context.origin} answered ${answer.status} to ${what}: ${message}; it is asked again later`,
      data,
      retryable: true,
    });
  }
  return new ShiplineError({
    code: "ARGOCD_REQUEST_REJECTED",
    message: `the Kubernetes API refused ${what} with ${answer.status}: ${message}`,
    data,
  });
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** An error of a Rollout request, saying what is missing or not granted about the Rollout. */
function aboutRollout(error: unknown, ref: RolloutRef): unknown {
  if (!(error instanceof ShiplineError)) return error;
  const where = `Rollout '${ref.name}' in namespace '${ref.namespace ?? "default"}'`;
  if (error.code === "ARGOCD_APPLICATION_NOT_FOUND") {
    return new ShiplineError({
      code: error.code,
      message: `there is no ${where} (${String(error.data.request)}); check the application's resources`,
      data: { ...error.data, rollout: ref.name },
      cause: error,
    });
  }
  if (error.code === "ARGOCD_UNAUTHORIZED") {
    return new ShiplineError({
      code: error.code,
      message: `the Kubernetes API refused the agent the ${where} (${String(error.data.request)}, ${String(error.data.status)}); bind its ServiceAccount to a Role granting get and patch on rollouts.argoproj.io and rollouts/status there`,
      data: { ...error.data, rollout: ref.name },
      retryable: true,
      cause: error,
    });
  }
  return error;
}

/** The Kubernetes API path of a Rollout (in `default` when the application's resources name no namespace). */
function rolloutPath(ref: RolloutRef): string {
  return `/apis/${ROLLOUT_GROUP}/${ROLLOUT_VERSION}/namespaces/${encodeURIComponent(ref.namespace ?? "default")}/rollouts/${encodeURIComponent(ref.name)}`;
}

/** `[namespace, name]` of `<namespace>/<name>`, or of `name` in the default namespace. */
function split(name: string, fallback: string): [string, string] {
  const slash = name.indexOf("/");
  return slash === -1 ? [fallback, name] : [name.slice(0, slash), name.slice(slash + 1)];
}
