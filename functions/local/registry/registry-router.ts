import type { IncomingMessage, ServerResponse } from "node:http";
import { deleteBlob, getBlob } from "./blob-routes.js";
import { sendJson } from "./http-exchange.js";
import { listCatalog, listReferrers, listTags, ping } from "./listing-routes.js";
import { putManifest } from "./manifest-push.js";
import { deleteManifest, getManifest } from "./manifest-routes.js";
import type { RegistryContext, RouteHandler } from "./registry-context.js";
import { ociErrorResponse, registryError } from "./registry-error.js";
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from "./upload-routes.js";

interface Route {
  /** Captures the repository name and, where the route has one, the reference after its keyword. */
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, RouteHandler>>;
}

// Order matters: a repository name may itself contain `blobs`, `uploads` or `manifests`, so the
// routes whose tails are longest are tried first.
const ROUTES: readonly Route[] = [
  { pattern: /^\/v2\/?$/, methods: { GET: ping, HEAD: ping } },
  { pattern: /^\/v2\/_catalog$/, methods: { GET: listCatalog } },
  { pattern: /^\/v2\/(.+)\/tags\/list$/, methods: { GET: listTags } },
  { pattern: /^\/v2\/(.+)\/blobs\/uploads\/?$/, methods: { POST: startUpload } },
  {
    pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/,
    methods: { GET: uploadStatus, PATCH: patchUpload, PUT: finishUpload, DELETE: cancelUpload },
  },
  { pattern: /^\/v2\/(.+)\/blobs\/([^/]+)$/, methods: { GET: getBlob, HEAD: getBlob, DELETE: deleteBlob } },
  {
    pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    methods: { GET: getManifest, HEAD: getManifest, PUT: putManifest, DELETE: deleteManifest },
  },
  { pattern: /^\/v2\/(.+)\/referrers\/([^/]+)$/, methods: { GET: listReferrers } },
];

/**
 * Answers one HTTP request of the distribution API: finds the route, runs its handler and turns
 * any failure into the specification's error body `{"errors":[{code,message,detail}]}`.
 *
 * @example
 * ```ts
 * const server = http.createServer((request, response) => void routeRequest(context, request, response));
 * ```
 */
export async function routeRequest(
  context: RegistryContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const url = new URL(request.url ?? "/", "http://registry.invalid");
    const method = request.method ?? "GET";
    for (const route of ROUTES) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const handler = route.methods[method];
      if (!handler) throw unsupported(`${method} is not supported on ${url.pathname}`, 405);
      const name = decodeURIComponent(match[1] ?? "");
      const reference = decodeURIComponent(match[2] ?? "");
      await handler(context, { request, response, url, name, reference });
      return;
    }
    throw unsupported(
      `${url.pathname} is not an endpoint of the distribution API; paths start with /v2/`,
      404,
    );
  } catch (error) {
    if (response.headersSent) {
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const { status, body } = ociErrorResponse(error);
    sendJson(response, status, body);
  }
}

function unsupported(message: string, status: number) {
  return registryError({ status, code: "UNSUPPORTED", message });
}
