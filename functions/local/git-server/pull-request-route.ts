/** Prefix of the REST API, as on GitHub Enterprise Server. */
export const API_PREFIX = "/api/v3";

/** What a pull request API request asks for. */
export type PullRequestRoute =
  | { readonly action: "list" | "create"; readonly owner: string; readonly name: string }
  | {
      readonly action: "get" | "update" | "merge" | "merged";
      readonly owner: string;
      readonly name: string;
      readonly number: number;
    };

const PULLS = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/pulls(?:\/([1-9][0-9]{0,8})(\/merge)?)?\/?$/;

/**
 * Tells whether a path belongs to the REST API rather than to git.
 *
 * @example
 * ```ts
 * isApiPath("/api/v3/repos/local/config/pulls"); // true
 * ```
 */
export function isApiPath(pathname: string): boolean {
  return pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`);
}

/**
 * Routes a REST API request: `GET|POST /repos/{owner}/{repo}/pulls`,
 * `GET|PATCH /repos/{owner}/{repo}/pulls/{number}` and `GET|PUT …/pulls/{number}/merge`, below
 * {@link API_PREFIX}; `undefined` for anything else.
 *
 * @example
 * ```ts
 * parsePullRequestRoute("PUT", "/api/v3/repos/local/config/pulls/3/merge");
 * // { action: "merge", owner: "local", name: "config", number: 3 }
 * ```
 */
export function parsePullRequestRoute(method: string, pathname: string): PullRequestRoute | undefined {
  const match = PULLS.exec(pathname);
  if (match === null) return undefined;
  const owner = decoded(match[1]);
  const name = decoded(match[2]);
  if (owner === undefined || name === undefined) return undefined;
  const numbered = match[3];
  if (numbered === undefined) {
    if (method === "GET") return { action: "list", owner, name };
    if (method === "POST") return { action: "create", owner, name };
    return undefined;
  }
  const number = Number.parseInt(numbered, 10);
  const action = match[4] === undefined ? pullRequestAction(method) : mergeAction(method);
  return action === undefined ? undefined : { action, owner, name, number };
}

function pullRequestAction(method: string): "get" | "update" | undefined {
  if (method === "GET") return "get";
  return method === "PATCH" ? "update" : undefined;
}

function mergeAction(method: string): "merged" | "merge" | undefined {
  if (method === "GET") return "merged";
  return method === "PUT" ? "merge" : undefined;
}

function decoded(part: string | undefined): string | undefined {
  if (part === undefined) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
