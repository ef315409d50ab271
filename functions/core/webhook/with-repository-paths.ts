import { readRepositoryPaths } from "../build/read-repository-paths.js";
import { repositoryKeysOf } from "../build/repository-keys.js";
import type { CommitPushed, RepositoryPaths } from "../contracts/events/commit-pushed.js";
import type { ChangedPathsSource } from "../ports/changed-paths-source.js";
import { MAX_PATHS_BYTES } from "./fit-commit-pushed.js";

/** Options of {@link withRepositoryPaths}. */
export interface WithRepositoryPathsOptions {
  /** The normalised push. */
  readonly push: CommitPushed;
  /** Where the paths are read from (CodeCommit's `GetDifferences`). */
  readonly source: ChangedPathsSource;
  /**
   * The repositories whose pushes have their paths read, by key (`parseRepoRef(...).key`): those of
   * the apps that filter by path, the only ones `start-build` needs paths for.
   */
  readonly repositories: readonly string[];
}

/**
 * The push with the paths read from its repository (`repositoryPaths`), for a host whose pushes list
 * none (CodeCommit), so that `start-build` selects apps by path without reading them itself. Read only
 * when `start-build` could use them: a branch moved from an earlier commit (not a tag, not a new
 * branch), of one of `repositories`, whose paths the push does not list. A failed read, or more paths
 * than the event can carry (see `fitCommitPushed`), is carried as the reason, and every app of the
 * branch then builds. Never throws.
 *
 * @example
 * ```ts
 * const detail = await withRepositoryPaths({ push, source: new CodeCommitChangedPaths(), repositories });
 * await publisher.publish([{ detailType: DetailType.CommitPushed, detail }]);
 * ```
 */
export async function withRepositoryPaths(options: WithRepositoryPathsOptions): Promise<CommitPushed> {
  const { push, source, repositories } = options;
  if (push.pathsKnown || push.refType === "tag" || /^0+$/.test(push.before)) return push;
  if (!repositoryKeysOf(push).some((key) => repositories.includes(key))) return push;
  const read = await readRepositoryPaths({ push, source });
  return { ...push, repositoryPaths: carried(read) };
}

function carried(read: RepositoryPaths): RepositoryPaths {
  if (!("paths" in read) || Buffer.byteLength(JSON.stringify(read.paths), "utf8") <= MAX_PATHS_BYTES) {
    return read;
  }
  return { unreadable: `the push changed ${read.paths.length} paths, too many to list in Commit Pushed` };
}
