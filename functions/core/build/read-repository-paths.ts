import type { CommitPushed, RepositoryPaths } from "../contracts/events/commit-pushed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { ChangedPathsSource } from "../ports/changed-paths-source.js";

/** Options of {@link readRepositoryPaths}. */
export interface ReadRepositoryPathsOptions {
  /** The push: its repository, ref, `before` and `after`. */
  readonly push: CommitPushed;
  /** Where the paths are read from (CodeCommit's `GetDifferences`, a shallow fetch elsewhere). */
  readonly source: ChangedPathsSource;
}

/**
 * The paths between a push's `before` and `after`, read from its repository, or why they could not
 * be read (the error's code and message). Never throws: a failed read is such a reason. Used where
 * the paths are read: by `resolveChangedPaths` in `start-build`, and by the webhook for a CodeCommit
 * push, which then carries them (`repositoryPaths`).
 *
 * @example
 * ```ts
 * const read = await readRepositoryPaths({ push, source: changedPathsSource });
 * if ("paths" in read) console.log(read.paths);
 * ```
 */
export async function readRepositoryPaths(options: ReadRepositoryPathsOptions): Promise<RepositoryPaths> {
  const { push, source } = options;
  try {
    const paths = await source.changedPaths({
      provider: push.provider,
      repository: push.repository,
      ref: push.ref,
      base: push.before,
      head: push.after,
      ...(push.commitsTruncated ? {} : { commitCount: push.commits.length }),
    });
    return { paths: [...paths] };
  } catch (error) {
    const cause =
      error instanceof ShiplineError
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    return { unreadable: cause };
  }
}
