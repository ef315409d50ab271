import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { RepositoryGrant, RepositoryTokenCheck } from "../oidc/repository-token.js";

/** What a git request needs: `read` for clone and fetch (upload-pack), `write` for push (receive-pack). */
export type GitAccess = "read" | "write";

/** The outcome of {@link authorizeGitRequest}. */
export type GitAuthorization =
  | { readonly allowed: true; readonly grant?: RepositoryGrant }
  | {
      readonly allowed: false;
      readonly status: 401 | 403 | 503;
      readonly reason: string;
      readonly code: string;
    };

/** Options for {@link authorizeGitRequest}. */
export interface AuthorizeGitRequestOptions {
  /** The request's `Authorization` header. */
  readonly authorization: string | undefined;
  readonly repository: string;
  readonly access: GitAccess;
  /** True when reads need no token. */
  readonly anonymousRead: boolean;
  readonly verifier: RepositoryTokenCheck;
}

/**
 * Decides whether a git request may go on. The token comes as the password of Basic auth (any user
 * name, as GitHub accepts) or as a Bearer token. No token or an invalid one (expired, tampered,
 * unsigned, wrong audience) is 401; a valid token for another repository, or without `write` for a
 * push, is 403; a token that cannot be checked now (the issuer's keys are unreachable) is 503.
 * Reads pass without a token when `anonymousRead` is on.
 *
 * @example
 * ```ts
 * const decision = await authorizeGitRequest({ authorization: req.headers.authorization, repository: "config", access: "write", anonymousRead: false, verifier });
 * ```
 */
export async function authorizeGitRequest(options: AuthorizeGitRequestOptions): Promise<GitAuthorization> {
  const token = tokenOf(options.authorization);
  if (token === undefined) {
    if (options.access === "read" && options.anonymousRead) return { allowed: true };
    return {
      allowed: false,
      status: 401,
      code: "GIT_AUTH_REQUIRED",
      reason: `${options.access === "write" ? "pushing" : "reading"} needs a repository token from the token exchange, as the Basic auth password`,
    };
  }
  let grant: RepositoryGrant;
  try {
    grant = await options.verifier.verifyRepositoryToken(token);
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    return { allowed: false, status: error.retryable ? 503 : 401, code: error.code, reason: error.message };
  }
  if (grant.repository !== options.repository) {
    return {
      allowed: false,
      status: 403,
      code: "GIT_TOKEN_WRONG_REPOSITORY",
      reason: `the token is for repository '${grant.repository}', not '${options.repository}'; exchange a token for '${options.repository}'`,
    };
  }
  const permitted =
    options.access === "read" ? grant.permissions.length > 0 : grant.permissions.includes("write");
  if (!permitted) {
    return {
      allowed: false,
      status: 403,
      code: "GIT_TOKEN_PERMISSION_DENIED",
      reason: `the token allows '${grant.permissions.join(" ")}' on '${options.repository}', not '${options.access}'`,
    };
  }
  return { allowed: true, grant };
}

function tokenOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === "bearer") return value || undefined;
  if (scheme.toLowerCase() !== "basic") return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? "" : decoded.slice(colon + 1);
  // GitHub also accepts the token as the user name with an empty password.
  return password || user || undefined;
}
