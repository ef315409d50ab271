import { ShiplineError } from "../../core/errors/shipline-error.js";
import { GIT_HTTP_STATUS } from "./receive-pack-client.js";

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = error.data;
  if (typeof data !== "object" || data === null || !("statusCode" in data)) return undefined;
  return typeof data.statusCode === "number" ? data.statusCode : undefined;
}

/**
 * Turns an isomorphic-git transport failure into a ShiplineError that names the repository and
 * the operation, never a credential (URLs carry none; the cause is kept for the stack only):
 * `GIT_AUTH_FAILED` (401/403, retryable: short-lived credentials may be renewed),
 * `GIT_REPOSITORY_NOT_FOUND` (404 or a missing branch, permanent), else `GIT_TRANSPORT_FAILED`
 * (retryable). A ShiplineError passes through unchanged.
 *
 * @example
 * ```ts
 * await git.fetch({ ... }).catch((error) => { throw gitTransportError(error, { operation: "fetch", repository, branch }); });
 * ```
 */
export function gitTransportError(
  error: unknown,
  context: { readonly operation: string; readonly repository: string; readonly branch: string },
): ShiplineError {
  // The receive-pack client reports bare HTTP statuses; they get the repository context here.
  if (error instanceof ShiplineError && error.code !== GIT_HTTP_STATUS) return error;
  const status = statusOf(error);
  const code = codeOf(error);
  const data = {
    ...context,
    ...(status === undefined ? {} : { status }),
    ...(code === undefined ? {} : { gitError: code }),
  };
  const where = `${context.operation} of ${context.repository} (${context.branch})`;
  // isomorphic-git ends with UserCanceledError when onAuthFailure declines a second try.
  if (status === 401 || status === 403 || code === "UserCanceledError") {
    return new ShiplineError({
      code: "GIT_AUTH_FAILED",
      message: `${where} was refused (HTTP ${status ?? 401}): check that the credentials provider grants write access to this repository`,
      data,
      retryable: true,
      cause: error,
    });
  }
  if (status === 404 || code === "NotFoundError") {
    return new ShiplineError({
      code: "GIT_REPOSITORY_NOT_FOUND",
      message: `${where} failed: the repository or branch does not exist; check configRepo.url and configRepo.branch`,
      data,
      cause: error,
    });
  }
  return new ShiplineError({
    code: "GIT_TRANSPORT_FAILED",
    message: `${where} failed (${code ?? (error instanceof Error ? error.name : "error")}); it will be retried`,
    data,
    retryable: true,
    cause: error,
  });
}
