import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** One call to a git host's REST API. */
export interface ApiCall {
  /** `github` or `gitlab`, for errors. */
  readonly provider: string;
  readonly method: "GET" | "POST" | "PATCH" | "PUT";
  /** The API base, e.g. `https://api.github.com` (no trailing `/`). */
  readonly apiUrl: string;
  /** The path below the base, query included. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** The repository, for errors. */
  readonly repo: string;
  readonly fetch: typeof fetch;
}

/** An answer the caller branches on. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const hostMessage = z.union([
  z.object({ message: z.union([z.string(), z.array(z.string()), z.record(z.string(), z.unknown())]) }),
  z.object({ error: z.string() }),
]);

/**
 * Sends one JSON call and returns its status and parsed body (`undefined` when it is not JSON).
 * A host that cannot be reached is a retryable `PULL_REQUEST_FAILED`; statuses are the caller's.
 *
 * @example
 * ```ts
 * const { status, body } = await callApi({ provider: "github", method: "GET", apiUrl, path, headers, repo, fetch });
 * ```
 */
export async function callApi(call: ApiCall): Promise<ApiAnswer> {
  let response: Response;
  try {
    response = await call.fetch(`${call.apiUrl}${call.path}`, {
      method: call.method,
      headers: {
        ...call.headers,
        ...(call.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ShiplineError({
      code: "PULL_REQUEST_FAILED",
      message: `${call.method} ${pathOnly(call.path)} on ${call.apiUrl} could not be sent (${error instanceof Error ? error.name : "error"}); check pullRequest.apiUrl; it will be retried`,
      data: {
        provider: call.provider,
        repository: call.repo,
        method: call.method,
        path: pathOnly(call.path),
      },
      retryable: true,
      cause: error,
    });
  }
  const limited = response.status === 403 && response.headers.get("x-ratelimit-remaining") === "0";
  const body = await response.json().catch(() => undefined);
  return { status: limited ? 429 : response.status, body };
}

/**
 * The error for an answer the caller did not expect: `PULL_REQUEST_FAILED` with the host's own
 * message, retryable for 5xx and rate limits (429), permanent otherwise (no access, a base branch
 * that does not exist, ...).
 *
 * @example
 * ```ts
 * if (status !== 201) throw apiFailure(call, { status, body }, "check that the token may open pull requests");
 * ```
 */
export function apiFailure(
  call: Omit<ApiCall, "fetch" | "headers">,
  answer: ApiAnswer,
  fix: string,
): ShiplineError {
  const parsed = hostMessage.safeParse(answer.body);
  const said = !parsed.success
    ? ""
    : "error" in parsed.data
      ? `: ${parsed.data.error}`
      : `: ${typeof parsed.data.message === "string" ? parsed.data.message : JSON.stringify(parsed.data.message)}`;
  const retryable = answer.status >= 500 || answer.status === 429;
  return new ShiplineError({
    code: "PULL_REQUEST_FAILED",
    message: `${call.method} ${pathOnly(call.path)} on ${call.apiUrl} answered HTTP ${answer.status}${said}; ${retryable ? "it will be retried" : fix}`,
    data: {
      provider: call.provider,
      repository: call.repo,
      method: call.method,
      path: pathOnly(call.path),
      status: answer.status,
    },
    retryable,
  });
}

function pathOnly(path: string): string {
  return path.split("?")[0] ?? path;
}
