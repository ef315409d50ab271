import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import type { ApplicationState } from "./application-state.js";
import { readJsonBody } from "./read-json-body.js";

/** The Kubernetes API path prefix of Argo Rollouts' resources. */
export const ROLLOUTS_API = "/apis/argoproj.io/v1alpha1";

/** The merge patch fields a promotion sends (`kubectl argo rollouts promote`); others are ignored. */
const promotionPatch = z.looseObject({
  spec: z.looseObject({ paused: z.boolean().nullish() }).nullish(),
  status: z.looseObject({ pauseConditions: z.array(z.unknown()).nullish() }).nullish(),
});

/**
 * Serves the Kubernetes API's shapes for the Argo Rollouts `Rollout`s the stand-in's applications
 * render: `GET {ROLLOUTS_API}/namespaces/{ns}/rollouts/{name}`, and merge patches of it and of its
 * `status` subresource. A patch clearing `status.pauseConditions` (on `…/status`) or setting
 * `spec.paused: false` ends a pause, as `kubectl argo rollouts promote` does with the controller.
 * Requests need a non-empty bearer token. Errors are Kubernetes `Status` bodies. Answers true when
 * the request was one of these paths.
 *
 * @example
 * ```ts
 * if (await serveKubernetesRollouts(request, response, applications)) return;
 * ```
 */
export async function serveKubernetesRollouts(
  request: IncomingMessage,
  response: ServerResponse,
  applications: ReadonlyMap<string, ApplicationState>,
): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const parts = url.pathname.startsWith(`${ROLLOUTS_API}/`)
    ? url.pathname.slice(ROLLOUTS_API.length).split("/").filter(Boolean).map(decodeURIComponent)
    : [];
  const [namespaces, namespace, rollouts, name, subresource, ...rest] = parts;
  if (namespaces !== "namespaces" || rollouts !== "rollouts" || name === undefined || rest.length > 0)
    return false;
  if (!/^Bearer \S+/.test(request.headers.authorization ?? "")) {
    sendStatus(response, 401, "Unauthorized", "Unauthorized");
    return true;
  }
  const rollout = [...applications.values()]
    .map((state) => state.rollout)
    .find((candidate) => candidate?.name === name && candidate.namespace === namespace);
  if (rollout === undefined || (subresource !== undefined && subresource !== "status")) {
    sendStatus(response, 404, "NotFound", `rollouts.argoproj.io "${name}" not found`);
    return true;
  }
  if (request.method === "GET" && subresource === undefined) {
    sendJson(response, 200, rollout.render());
    return true;
  }
  if (request.method !== "PATCH") {
    sendStatus(response, 405, "MethodNotAllowed", `${request.method ?? ""} is not allowed here`);
    return true;
  }
  if (request.headers["content-type"] !== "application/merge-patch+json") {
    sendStatus(
      response,
      415,
      "UnsupportedMediaType",
      "accepted media types include: application/merge-patch+json",
    );
    return true;
  }
  const patch = promotionPatch.safeParse(await readJsonBody(request));
  if (!patch.success) {
    sendStatus(response, 400, "BadRequest", "the body of the request is not a merge patch of a Rollout");
    return true;
  }
  const clearsPause = subresource === "status" && patch.data.status?.pauseConditions === null;
  const unpauses = subresource === undefined && patch.data.spec?.paused === false;
  if (clearsPause || unpauses) rollout.promote();
  sendJson(response, 200, rollout.render());
  return true;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(response, code, { kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code });
}
