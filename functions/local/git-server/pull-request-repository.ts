import { pullRequestError } from "./pull-request-error.js";
import { assertRepositoryName, isRepositoryName } from "./repository-name.js";
import type { LocalRepository, RepositoryStore } from "./repository-store.js";

/**
 * The `{owner}/{repo}` by which GitHub's REST API names a local repository: the owner and name
 * its push webhooks report (`repository.owner.login` and `repository.name`). A two-part repository
 * `team/app` is `team/app`; a one-part repository `config` belongs to the default owner, so it is
 * `local/config` (with the default `defaultOwner`).
 *
 * @example
 * ```ts
 * pullRequestPathOf({ owner: "local", name: "config" }); // "local/config"
 * ```
 */
export function pullRequestPathOf(repository: Pick<LocalRepository, "owner" | "name">): string {
  return `${repository.owner}/${repository.name}`;
}

/** Options for {@link resolvePullRequestRepository}. */
export interface ResolvePullRequestRepositoryOptions {
  readonly store: RepositoryStore;
  /** The `{owner}` of the API path. */
  readonly owner: string;
  /** The `{repo}` of the API path. */
  readonly name: string;
  /** Owner of one-part repository names (the server's `defaultOwner`). */
  readonly defaultOwner: string;
}

/**
 * Finds the repository an API path's `{owner}/{repo}` names (the reverse of
 * {@link pullRequestPathOf}): the repository `owner/repo`, or, when `owner` is the default owner,
 * the one-part repository `repo`. Answers `undefined` when there is neither, and refuses with
 * `PULL_REQUEST_REPOSITORY_AMBIGUOUS` when both exist.
 *
 * @example
 * ```ts
 * const repository = await resolvePullRequestRepository({ store, owner: "local", name: "config", defaultOwner: "local" });
 * ```
 */
export async function resolvePullRequestRepository(
  options: ResolvePullRequestRepositoryOptions,
): Promise<LocalRepository | undefined> {
  const { store, owner, name } = options;
  const twoPart = `${owner}/${name}`;
  const found = isRepositoryName(twoPart) ? await store.get(twoPart) : undefined;
  const onePart =
    owner === options.defaultOwner && isRepositoryName(name) ? await store.get(name) : undefined;
  if (found !== undefined && onePart !== undefined) {
    throw pullRequestError(
      "PULL_REQUEST_REPOSITORY_AMBIGUOUS",
      `'${twoPart}' names both repository '${twoPart}' and repository '${name}' (owned by the default owner '${owner}'); rename one of them`,
      { owner, name },
    );
  }
  return found ?? onePart;
}

/**
 * The web address of a repository as GitHub's REST API clients need it,
 * `<baseUrl>/<owner>/<repo>` (see {@link pullRequestPathOf}): a `repo` that `GitHubPullRequests`
 * turns into `/repos/<owner>/<repo>/pulls`. It is a clone URL too only for a two-part name.
 *
 * @example
 * ```ts
 * pullRequestRepoUrlOf({ baseUrl: "http://127.0.0.1:8080", name: "config", defaultOwner: "local" });
 * // "http://127.0.0.1:8080/local/config"
 * ```
 */
export function pullRequestRepoUrlOf(options: {
  readonly baseUrl: string;
  readonly name: string;
  readonly defaultOwner: string;
}): string {
  assertRepositoryName(options.name);
  const [first = "", second] = options.name.split("/");
  const path =
    second === undefined
      ? pullRequestPathOf({ owner: options.defaultOwner, name: first })
      : pullRequestPathOf({ owner: first, name: second });
  return `${options.baseUrl}/${path}`;
}
