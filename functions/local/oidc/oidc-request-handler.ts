import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONWebKeySet } from "jose";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { MAX_REQUEST_BODY_BYTES, readRequestBody, sendJson } from "./http-exchange.js";
import { parseStsWebIdentityRequest } from "./sts-web-identity-request.js";
import { type TokenExchangeResponse, toOAuthError } from "./token-exchange.js";
import type { WorkloadToken, WorkloadTokenRequest } from "./workload-token.js";

/** Paths served by the local OIDC server. */
export const OIDC_PATHS = {
  discovery: "/.well-known/openid-configuration",
  jwks: "/.well-known/jwks.json",
  token: "/token",
  webIdentityToken: "/local/sts/web-identity-token",
} as const;

/** What the HTTP endpoints call. */
export interface OidcEndpoints {
  discoveryDocument(): Record<string, unknown>;
  jwks(): JSONWebKeySet;
  exchangeToken(form: URLSearchParams): Promise<TokenExchangeResponse>;
  issueWorkloadToken(request: WorkloadTokenRequest): Promise<WorkloadToken>;
  /** Subject of a web identity token requested without `Subject`. */
  readonly defaultSubject: string;
}

/**
 * The HTTP face of the local OIDC server: discovery and JWKS (GET), the RFC 8693 token endpoint
 * (POST, form-encoded; RFC 6749 error bodies) and the local `GetWebIdentityToken` stand-in (POST,
 * JSON). Unknown paths answer 404, wrong methods 405.
 *
 * @example
 * ```ts
 * const server = createServer(createOidcRequestHandler(endpoints));
 * ```
 */
export function createOidcRequestHandler(
  endpoints: OidcEndpoints,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(endpoints, req, res).catch(() => {
      if (!res.headersSent)
        sendJson(res, 500, { error: "server_error", error_description: "internal error" });
      else res.destroy();
    });
  };
}

async function route(endpoints: OidcEndpoints, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? "/", "http://127.0.0.1");
  const method = req.method ?? "GET";
  const allow = pathname === OIDC_PATHS.token || pathname === OIDC_PATHS.webIdentityToken ? "POST" : "GET";
  if (!Object.values(OIDC_PATHS).some((path) => path === pathname)) {
    sendJson(res, 404, { error: "not_found", error_description: `no endpoint at ${pathname}` });
    return;
  }
  if (method !== allow && !(allow === "GET" && method === "HEAD")) {
    sendJson(res, 405, { error: "method_not_allowed", error_description: `use ${allow}` }, { allow });
    return;
  }
  const cacheable = { "cache-control": "max-age=60" };
  if (pathname === OIDC_PATHS.discovery) sendJson(res, 200, endpoints.discoveryDocument(), cacheable);
  else if (pathname === OIDC_PATHS.jwks) sendJson(res, 200, endpoints.jwks(), cacheable);
  else if (pathname === OIDC_PATHS.token) await serveTokenExchange(endpoints, req, res);
  else await serveWebIdentityToken(endpoints, req, res);
}

async function serveTokenExchange(
  endpoints: OidcEndpoints,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readRequestBody(req, MAX_REQUEST_BODY_BYTES);
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  try {
    if (body === undefined) {
      throw new ShiplineError({
        code: "TOKEN_EXCHANGE_REQUEST_INVALID",
        message: "the request body is too large",
      });
    }
    if (contentType !== "application/x-www-form-urlencoded") {
      throw new ShiplineError({
        code: "TOKEN_EXCHANGE_REQUEST_INVALID",
        message: `content-type '${contentType}' is not accepted; send application/x-www-form-urlencoded`,
      });
    }
    sendJson(res, 200, await endpoints.exchangeToken(new URLSearchParams(body.toString("utf8"))));
  } catch (error) {
    const { status, body: errorBody } = toOAuthError(error);
    sendJson(res, status, errorBody);
  }
}

async function serveWebIdentityToken(
  endpoints: OidcEndpoints,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readRequestBody(req, MAX_REQUEST_BODY_BYTES);
  try {
    const request = parseStsWebIdentityRequest(parseJson(body), endpoints.defaultSubject);
    const { token, expiration } = await endpoints.issueWorkloadToken(request);
    // STS answers the expiration without fractional seconds.
    sendJson(res, 200, {
      WebIdentityToken: token,
      Expiration: expiration.toISOString().replace(/\.\d{3}Z$/, "Z"),
    });
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    sendJson(res, 400, { code: "ValidationError", reason: error.code, message: error.message });
  }
}

function parseJson(body: Buffer | undefined): unknown {
  if (body === undefined) {
    throw new ShiplineError({
      code: "WORKLOAD_TOKEN_REQUEST_INVALID",
      message: "the request body is too large",
    });
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ShiplineError({
      code: "WORKLOAD_TOKEN_REQUEST_INVALID",
      message: 'the request body is not JSON; send {"Audience": ["..."], "DurationSeconds": 300}',
    });
  }
}
