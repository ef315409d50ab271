import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import { type ApplicationState, renderApplication } from "./application-state.js";
import { readJsonBody } from "./read-json-body.js";

/** The Kubernetes API path prefix of Argo CD's Application resources. */
export const APPLICATIONS_API = "/apis/argoproj.io/v1alpha1";

/** What the Kubernetes routes need from the stand-in: its applications and how it operates them. */
export interface KubernetesRoutesContext {
  /** The stand-in's applications by name (the same state its Argo CD API serves). */
  readonly applications: ReadonlyMap<string, ApplicationState>;
  /** Fetches the branch and re-reads the Applications, as a refresh of Argo CD's controller does. */
  readonly refresh: () => Promise<void>;
  /** Starts a sync of an application to a revision (a branch name or `HEAD` resolves to the head). */
  readonly sync: (state: ApplicationState, revision: string) => Promise<void>;
}

/** The merge patch fields the stand-in acts on; any other field is accepted and ignored. */
const mergePatch = z.looseObject({
  metadata: z
    .looseObject({
      annotations: z.record(z.string(), z.string().nullable()).nullish(),
      resourceVersion: z.string().optional(),
    })
    .nullish(),
  operation: z.looseObject({ sync: z.looseObject({ revision: z.string().optional() }).nullish() }).nullish(),
});

const REFRESH_ANNOTATION = "argocd.argoproj.io/refresh";

/**
 * Serves the Kubernetes API's shapes for Argo CD's Applications, as the agent's Kubernetes-mode
 * adapter and Argo CD's core mode use them, over the stand-in's application state:
 * `GET {APPLICATIONS_API}/namespaces/{ns}/applications[/{name}]` (an `ApplicationList` or an
 * `Application`) and `PATCH …/applications/{name}` with `Content-Type: application/merge-patch+json`.
 * A patch setting the `argocd.argoproj.io/refresh` annotation refreshes before it answers (so the
 * answer no longer carries the annotation, as once the controller took it off); one setting
 * `operation.sync` starts that sync, as the application controller would; while an operation runs
 * it is refused with 409 Conflict (where a real API server would overwrite the running operation),
 * as is a patch whose `metadata.resourceVersion` is not the current one.
 * Requests need a non-empty bearer token (no TokenReview). Errors are Kubernetes `Status` bodies.
 * Answers true when the request was one of these paths.
 *
 * @example
 * ```ts
 * if (await serveKubernetesApplications(request, response, context)) return;
 * ```
 */
export async function serveKubernetesApplications(
  request: IncomingMessage,
  response: ServerResponse,
  context: KubernetesRoutesContext,
): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (!url.pathname.startsWith(`${APPLICATIONS_API}/`)) return false;
  if (!/^Bearer \S+/.test(request.headers.authorization ?? "")) {
    sendStatus(response, 401, "Unauthorized", "Unauthorized");
    return true;
  }
  const parts = url.pathname
    .slice(APPLICATIONS_API.length)
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  const [namespaces, namespace, applications, name, ...rest] = parts;
  if (
    namespaces !== "namespaces" ||
    namespace === undefined ||
    applications !== "applications" ||
    rest.length > 0
  ) {
    sendStatus(response, 404, "NotFound", "the server could not find the requested resource");
    return true;
  }
  if (name === undefined) {
    if (request.method !== "GET") return methodNotAllowed(response, request.method);
    if (context.applications.size === 0) await context.refresh();
    const items = [...context.applications.values()].filter((state) => namespaceOf(state) === namespace);
    sendJson(response, 200, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationList",
      metadata: {},
      items: items.map(renderResource),
    });
    return true;
  }
  if (request.method !== "GET" && request.method !== "PATCH")
    return methodNotAllowed(response, request.method);
  if (!context.applications.has(name)) await context.refresh();
  const state = context.applications.get(name);
  if (state === undefined || namespaceOf(state) !== namespace) {
    sendStatus(response, 404, "NotFound", `applications.argoproj.io "${name}" not found`);
    return true;
  }
  if (request.method === "PATCH") {
    if (!(request.headers["content-type"] ?? "").startsWith("application/merge-patch+json")) {
      sendStatus(
        response,
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
      );
      return true;
    }
    const patch = mergePatch.safeParse(await readJsonBody(request, {}));
    if (!patch.success) {
      sendStatus(
        response,
        400,
        "BadRequest",
        "the body of the request is not a merge patch of an Application",
      );
      return true;
    }
    const version = patch.data.metadata?.resourceVersion;
    if (version !== undefined && version !== versionOf(state)) {
      sendStatus(
        response,
        409,
        "Conflict",
        `Operation cannot be fulfilled on applications.argoproj.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
      return true;
    }
    const refresh = patch.data.metadata?.annotations?.[REFRESH_ANNOTATION];
    if (refresh !== undefined && refresh !== null) await context.refresh();
    const revision = patch.data.operation?.sync?.revision;
    if (patch.data.operation?.sync !== undefined && patch.data.operation.sync !== null) {
      if (state.operation?.phase === "Running") {
        sendStatus(
          response,
          409,
          "Conflict",
          `Operation cannot be fulfilled on applications.argoproj.io "${name}": another operation is already in progress`,
        );
        return true;
      }
      await context.sync(state, revision ?? "HEAD");
    }
  }
  sendJson(response, 200, renderResource(state));
  return true;
}

/**
 * The Application as the Kubernetes API holds it: with `operation` set while one runs, and a
 * `resourceVersion` that changes whenever anything else does.
 */
function renderResource(state: ApplicationState): Record<string, unknown> {
  const rendered = withOperation(state);
  const metadata = z.looseObject({}).parse(rendered.metadata);
  return { ...rendered, metadata: { ...metadata, resourceVersion: versionOf(state) } };
}

function withOperation(state: ApplicationState): Record<string, unknown> {
  const rendered = renderApplication(state);
  const running = state.operation?.phase === "Running" ? state.operation : undefined;
  return running === undefined
    ? rendered
    : {
        ...rendered,
        operation: { initiatedBy: { username: "admin" }, sync: { revision: running.revision } },
      };
}

/** An opaque version of the Application: a digest of what it shows. */
function versionOf(state: ApplicationState): string {
  return createHash("sha256")
    .update(JSON.stringify(withOperation(state)))
    .digest("hex")
    .slice(0, 16);
}

function namespaceOf(state: ApplicationState): string {
  return state.manifest.metadata.namespace ?? "argocd";
}

function methodNotAllowed(response: ServerResponse, method: string | undefined): true {
  sendStatus(
    response,
    405,
    "MethodNotAllowed",
    `the server does not allow this method (${method ?? "?"}) on the requested resource`,
  );
  return true;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A Kubernetes `Status` error body. */
function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(response, code, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  });
}
