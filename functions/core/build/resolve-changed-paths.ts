import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { ChangedPathsSource } from "../ports/changed-paths-source.js";
import { type ChangedPaths, changedPathsOf } from "./changed-paths.js";
import { selectApps } from "./select-apps.js";

/** Options of {@link resolveChangedPaths}. */
export interface ResolveChangedPathsOptions {
  /** The push. */
  readonly push: CommitPushed;
  /** The configuration: the repository is read only when one of its apps filters by path. */
  readonly config: Pick<ShiplineConfig, "apps">;
  /** Where the paths are read from when the push does not list them. @default - nowhere */
  readonly source?: ChangedPathsSource;
}

const EVERY_PATH = "**";

/**
 * The paths a push changed, read from the repository when the push does not list them. The push's
 * own list is used when it is complete (see `changedPathsOf`). Otherwise, when an app of the pushed
 * branch filters by path (`source.paths` other than `**`, or `source.ignorePaths`), the paths between
 * the branch's previous commit and the pushed one are asked of `source` (CodeCommit's
 * `GetDifferences`, a shallow fetch elsewhere). Only when that is impossible (a new branch has no
 * previous commit; the repository cannot be read) do the paths stay unknown, so that every app of the
 * branch builds, with a reason that says why. Never throws: a failed read is such a reason.
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
  const filtering = selected.some(
    ({ app }) => app.source.ignorePaths.length > 0 || app.source.paths.some((glob) => glob !== EVERY_PATH),
  );
  if (!filtering) return listed;
  if (/^0+$/.test(push.before)) {
    return {
      known: false,
      why: `${push.refType} '${push.refName}' is new, so it has no earlier commit to compare with`,
    };
  }
  if (source === undefined) return listed;
  try {
    const paths = await source.changedPaths({
      provider: push.provider,
      repository: push.repository,
      ref: push.ref,
      base: push.before,
      head: push.after,
      ...(push.commitsTruncated ? {} : { commitCount: push.commits.length }),
    });
    return { known: true, paths, origin: "repository" };
  } catch (error) {
    const cause =
      error instanceof ShiplineError
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    return { known: false, why: `${listed.why}, and reading them from the repository failed (${cause})` };
  }
}
