import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import type { ChangedPathsSource } from "../ports/changed-paths-source.js";
import { type ChangedPaths, changedPathsOf } from "./changed-paths.js";
import { filtersByPath } from "./filters-by-path.js";
import { readRepositoryPaths } from "./read-repository-paths.js";
import { selectApps } from "./select-apps.js";

/** Options of {@link resolveChangedPaths}. */
export interface ResolveChangedPathsOptions {
  /** The push. */
  readonly push: CommitPushed;
  /** The configuration: the repository is read only when one of its apps filters by path. */
  readonly config: Pick<ShiplineConfig, "apps">;
  /** Where the paths are read from when the push neither lists nor carries them. @default - nowhere */
  readonly source?: ChangedPathsSource;
}

/**
 * The paths a push changed, read from the repository when the push does not list them. The push's
 * own list is used when it is complete (see `changedPathsOf`). Otherwise, when an app of the pushed
 * branch filters by path (`source.paths` other than `**`, or `source.ignorePaths`), the paths between
 * the branch's previous commit and the pushed one are taken from the push when the webhook read them
 * (`repositoryPaths`: CodeCommit's `GetDifferences`), or else asked of `source` (a shallow fetch).
 * Only when that is impossible (a new branch has no previous commit; the repository cannot be read)
 * do the paths stay unknown, so that every app of the branch builds, with a reason that says why.
 * Never throws: a failed read is such a reason.
 *
 * @example
 * ```ts
 * const changed = await resolveChangedPaths({ push, config, source: changedPathsSource });
 * const { selected } = selectApps({ config, push, changed });
 * ```
 */
export async function resolveChangedPaths(options: ResolveChangedPathsOptions): Promise<ChangedPaths> {
  const { push, source } = options;
  const listed = changedPathsOf(push);
  if (listed.known || push.refType === "tag") return listed;
  const { selected } = selectApps({ config: options.config, push });
  if (!selected.some(({ app }) => filtersByPath(app.source))) return listed;
  if (/^0+$/.test(push.before)) {
    return {
      known: false,
      why: `${push.refType} '${push.refName}' is new, so it has no earlier commit to compare with`,
    };
  }
  const read =
    push.repositoryPaths ?? (source === undefined ? undefined : await readRepositoryPaths({ push, source }));
  if (read === undefined) return listed;
  if ("paths" in read) return { known: true, paths: read.paths, origin: "repository" };
  return {
    known: false,
    why: `${listed.why}, and reading them from the repository failed (${read.unreadable})`,
  };
}
