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
  revisionMetadata,
} from "../../core/agent/argocd-application.js";
import type { RolloutsApi } from "../../core/agent/rollouts-api.js";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type HttpAnswer, sendRequest } from "./send-request.js";

/** Options of {@link ArgoCdClient}. */
export interface ArgoCdClientOptions {
  /** Argo CD's API URL, e.g. `https://argocd-server.argocd.svc` (no credentials in it). */
  readonly baseUrl: string;
  /** The API token (a project role or local account token); asked for on every call, so it may rotate. */
  readonly token: () => Promise<string>;
  /** Skip TLS verification (self-signed in-cluster certificates). @default false */
  readonly insecure?: boolean;
  /** Time-out of a plain call. @default 10000 */
  readonly timeoutMs?: number;
  /** Time-out of a refreshing read, which Argo CD answers only once it has re-read git. @default 60000 */
  readonly refreshTimeoutMs?: number;
}

/** Argo CD's answer for one managed resource: its live manifest, as a JSON string. */
const resourceResponse = z.looseObject({ manifest: z.string().min(1) });

/** The Argo CD resource action that promotes a paused Rollout, as `kubectl argo rollouts promote` does. */
export const PROMOTE_ACTION = "promote";

/** grpc-gateway's error body. */
const errorBody = z.looseObject({ error: z.string().optional(), message: z.string().optional() });

/** What Argo CD answers a sync while another operation runs (util/argo ErrAnotherOperationInProgress). */
const IN_PROGRESS = /another operation is already in progress/i;

/**
 * The {@link ArgoCdApi} over Argo CD's REST API (grpc-gateway), with a bearer token:
 * `GET /api/v1/applications/{name}[?refresh=normal|hard]`, `POST /api/v1/applications/{name}/sync`
 * with `{ revision, prune: false }`, and
 * `GET /api/v1/applications/{name}/revisions/{revision}/metadata`; and, for Argo Rollouts, the
 * managed-resource API: `GET /api/v1/applications/{name}/resource?namespace=&resourceName=&version=v1alpha1&group=argoproj.io&kind=Rollout`
 * (the live Rollout as a JSON string, `{ manifest }`) and
 * `POST /api/v1/applications/{name}/resource/actions?…` with the action `"promote"` (Argo CD's
 * built-in Rollout action: clears the pause conditions and `spec.paused`). A name `<namespace>/<name>` is
 * sent as `appNamespace`. Answers are parsed with the agent's zod schemas. It uses node:http(s)
 * rather than fetch so that `insecure` can skip verification for this client only. The token never
 * appears in an error.
 *
 * @example
 * ```ts
 * const argocd = new ArgoCdClient({ baseUrl: "https://argocd-server.argocd.svc", token: () => readFile(tokenFile, "utf8"), insecure: true });
 * const application = await argocd.getApplication("demo-staging", { refresh: "normal" });
 * ```
 */
export class ArgoCdClient implements ArgoCdApi, RolloutsApi {
  readonly #options: ArgoCdClientOptions;
  readonly #base: URL;

  constructor(options: ArgoCdClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.username !== "" || base.password !== "") {
      throw new ShiplineError({
        code: "CONFIG_INVALID",
        message: "the Argo CD URL carries credentials; remove them and give the token through its Secret",
      });
    }
    this.#options = options;
    this.#base = base;
  }

  async getApplication(
    name: string,
    options: { readonly refresh?: RefreshMode } = {},
  ): Promise<ArgoCdApplication> {
    const query: Record<string, string> = options.refresh === undefined ? {} : { refresh: options.refresh };
    const answer = await this.#call("GET", name, "", query, undefined, options.refresh !== undefined);
    return parse(argoCdApplication, answer.body, `application ${name}`);
  }

  async syncApplication(name: string, options: { readonly revision: string }): Promise<void> {
    const [namespace, application] = split(name);
    const body = {
      name: application,
      revision: options.revision,
      prune: false,
      dryRun: false,
      strategy: { hook: {} },
      ...(namespace === undefined ? {} : { appNamespace: namespace }),
    };
    await this.#call("POST", name, "/sync", {}, body, false);
  }

  async revisionMetadata(name: string, revision: string): Promise<RevisionMetadata> {
    const answer = await this.#call(
      "GET",
      name,
      `/revisions/${encodeURIComponent(revision)}/metadata`,
      {},
      undefined,
      false,
    );
    return parse(revisionMetadata, answer.body, `revision ${revision} of ${name}`);
  }

  async getRollout(name: string, ref: RolloutRef): Promise<ArgoRollout> {
    const answer = await this.#call("GET", name, "/resource", rolloutQuery(ref), undefined, false).catch(
      (error: unknown) => {
        throw rolloutNotFound(error, name, ref);
      },
    );
    const { manifest } = parse(resourceResponse, answer.body, `Rollout ${ref.name} of ${name}`);
    return parse(argoRollout, manifest, `Rollout ${ref.name} of ${name}`);
  }

  async promoteRollout(name: string, ref: RolloutRef): Promise<void> {
    await this.#call("POST", name, "/resource/actions", rolloutQuery(ref), PROMOTE_ACTION, false);
  }

  async #call(
    method: "GET" | "POST",
    name: string,
    suffix: string,
    query: Record<string, string>,
    body: unknown,
    refreshing: boolean,
  ): Promise<HttpAnswer> {
    const [namespace, application] = split(name);
    const url = new URL(
      `${this.#base.pathname.replace(/\/$/, "")}/api/v1/applications/${encodeURIComponent(application)}${suffix}`,
      this.#base,
    );
    for (const [key, value] of Object.entries({
      ...query,
      ...(namespace === undefined ? {} : { appNamespace: namespace }),
    })) {
      url.searchParams.set(key, value);
    }
    const what = `${method} ${url.pathname}${url.search}`;
    const token = (await this.#options.token()).trim();
    const timeoutMs = refreshing
      ? (this.#options.refreshTimeoutMs ?? 60_000)
      : (this.#options.timeoutMs ?? 10_000);
    let answer: HttpAnswer;
    try {
      answer = await sendRequest(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
        insecure: this.#options.insecure ?? false,
      });
    } catch (error) {
      throw new ShiplineError({
        code: "ARGOCD_UNREACHABLE",
        message: `Argo CD at ${this.#base.origin} did not answer ${what}: ${error instanceof Error ? error.message : String(error)}; check that argocd-server runs and the agent's Argo CD URL`,
        data: { url: this.#base.origin, request: what },
        retryable: true,
        cause: error,
      });
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw errorOf(answer, what, name, this.#base.origin);
  }
}

function errorOf(answer: HttpAnswer, what: string, name: string, origin: string): ShiplineError {
  const parsed = errorBody.safeParse(safeJson(answer.body));
  const message =
    (parsed.success ? (parsed.data.message ?? parsed.data.error) : undefined) ?? answer.body.slice(0, 300);
  const data = { request: what, status: answer.status, application: name };
  if (answer.status === 401 || answer.status === 403) {
    return new ShiplineError({
      code: "ARGOCD_UNAUTHORIZED",
      message: `Argo CD answered ${answer.status} to ${what}: ${message}; check the agent's Argo CD token and its project role (applications get and sync)`,
      data,
      retryable: true,
    });
  }
  if (answer.status === 404) {
    return new ShiplineError({
      code: "ARGOCD_APPLICATION_NOT_FOUND",
      message: `Argo CD has no application '${name}' (${what}: ${message}); create it, or set deploy.<environment>.application to its name`,
      data,
    });
  }
  if (IN_PROGRESS.test(message)) {
    return new ShiplineError({
      code: "ARGOCD_OPERATION_IN_PROGRESS",
      message: `Argo CD is running another operation on '${name}'; the sync is asked again once it ends`,
      data,
      retryable: true,
    });
  }
  if (answer.status >= 500 || answer.status === 429) {
    return new ShiplineError({
      code: "ARGOCD_UNREACHABLE",
      message: `Argo CD at ${origin} answered ${answer.status} to ${what}: ${message}; it is asked again later`,
      data,
      retryable: true,
    });
  }
  return new ShiplineError({
    code: "ARGOCD_REQUEST_REJECTED",
    message: `Argo CD refused ${what} with ${answer.status}: ${message}`,
    data,
  });
}

function parse<S extends z.ZodType>(schema: S, body: string, what: string): z.output<S> {
  const result = schema.safeParse(safeJson(body));
  if (!result.success) {
    throw new ShiplineError({
      code: "ARGOCD_RESPONSE_INVALID",
      message: `Argo CD's answer for ${what} is not what its API returns: ${formatIssues(result.error.issues).join("; ")}; check that the Argo CD URL points at argocd-server`,
      data: { what },
    });
  }
  return result.data;
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A 404 for a Rollout says which Rollout is missing, not which application. */
function rolloutNotFound(error: unknown, name: string, ref: RolloutRef): unknown {
  if (!(error instanceof ShiplineError) || error.code !== "ARGOCD_APPLICATION_NOT_FOUND") return error;
  return new ShiplineError({
    code: "ARGOCD_APPLICATION_NOT_FOUND",
    message: `Argo CD does not manage a Rollout '${ref.name}' in namespace '${ref.namespace ?? ""}' for application '${name}' (${error.message}); check the application's resources`,
    data: { ...error.data, rollout: ref.name },
    cause: error,
  });
}

/** The managed-resource query naming a Rollout. */
function rolloutQuery(ref: RolloutRef): Record<string, string> {
  return {
    ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
    resourceName: ref.name,
    version: ROLLOUT_VERSION,
    group: ROLLOUT_GROUP,
    kind: "Rollout",
  };
}

/** `[namespace, name]` of `<namespace>/<name>`, or `[undefined, name]`. */
function split(name: string): [string | undefined, string] {
  const slash = name.indexOf("/");
  return slash === -1 ? [undefined, name] : [name.slice(0, slash), name.slice(slash + 1)];
}
