import type { GitAccess } from "./authorize-git-request.js";
import { isRepositoryName } from "./repository-name.js";

/** A request for a repository, as the server routes it. */
export interface GitRequestPath {
  /** Repository name (`name` or `owner/name`). */
  readonly repository: string;
  /** `PATH_INFO` for git-http-backend: `/<repository>.git/<rest>`. */
  readonly pathInfo: string;
  /** `read` for clone, fetch and dumb HTTP; `write` for receive-pack (push). */
  readonly access: GitAccess;
  /** True for the request that carries a push (`POST …/git-receive-pack`). */
  readonly isPush: boolean;
}

const GIT_PATH = /^\/(.+?)\.git(\/.+)$/;

/**
 * Routes a request URL to a repository and tells what access it needs, or answers `undefined`
 * for a path that names no repository.
 *
 * @example
 * ```ts
 * parseGitRequestPath("GET", new URL("http://127.0.0.1/team/app.git/info/refs?service=git-receive-pack"));
 * // { repository: "team/app", pathInfo: "/team/app.git/info/refs", access: "write", isPush: false }
 * ```
 */
export function parseGitRequestPath(method: string, url: URL): GitRequestPath | undefined {
  const match = GIT_PATH.exec(url.pathname);
  const repository = match?.[1];
  const rest = match?.[2];
  if (repository === undefined || rest === undefined || rest === "/" || !isRepositoryName(repository))
    return undefined;
  const receivePack =
    rest === "/git-receive-pack" ||
    (rest === "/info/refs" && url.searchParams.get("service") === "git-receive-pack");
  return {
    repository,
    pathInfo: `/${repository}.git${rest}`,
    access: receivePack ? "write" : "read",
    isPush: method === "POST" && rest === "/git-receive-pack",
  };
}
