import type { CommitPushed } from "../contracts/events/commit-pushed.js";

/** The paths a push changed, when the push tells them. */
export type ChangedPaths =
  | {
      readonly known: true;
      readonly paths: readonly string[];
      /** `repository` when the paths were read from the repository, the push listing none. @default - the push */
      readonly origin?: "push" | "repository";
    }
  /** The push does not tell every changed path: every path counts as changed. */
  | { readonly known: false; readonly why: string };

/**
 * The paths a push changed: every path added, modified or removed by any of its commits, once each,
 * in first-seen order. When `pathsKnown` is false (the host sends no paths, truncated the commit
 * list, or the ref is new or was force-pushed) the paths are unknown and path filters must treat
 * every path as changed.
 *
 * @example
 * ```ts
 * const changed = changedPathsOf(push);
 * if (changed.known) console.log(changed.paths);
 * ```
 */
export function changedPathsOf(push: CommitPushed): ChangedPaths {
  if (!push.pathsKnown) {
    return { known: false, why: unknownPathsReason(push) };
  }
  if (push.changedPaths !== undefined) return { known: true, paths: push.changedPaths };
  const paths = new Set<string>();
  for (const commit of push.commits) {
    for (const path of [...commit.added, ...commit.modified, ...commit.removed]) paths.add(path);
  }
  return { known: true, paths: [...paths] };
}

function unknownPathsReason(push: CommitPushed): string {
  if (/^0+$/.test(push.before)) return `${push.refType} '${push.refName}' is new`;
  if (push.forced) return "the push was forced";
  if (push.commitsTruncated) return `${push.provider} listed fewer commits than were pushed`;
  if (push.commitsOmitted !== undefined) return "the push changed too many paths to list";
  return `${push.provider} does not list the changed paths`;
}
