import type { CommitPushed, PushedCommit } from "../contracts/events/commit-pushed.js";

/** The most a `Commit Pushed` detail may take, leaving room for the envelope within EventBridge's 256 KB. */
export const MAX_COMMIT_PUSHED_BYTES = 200 * 1024;

/** The longest commit message kept when a push has to be shortened. */
const MAX_MESSAGE_CHARS = 1024;

/** The most the list of changed paths may take; more and the push says they are too many to list. */
export const MAX_PATHS_BYTES = 100 * 1024;

/**
 * Keeps a `Commit Pushed` within EventBridge's size limit, so that a push of thousands of commits is
 * still built once. A detail that fits is returned as it is. Otherwise the commits keep only their
 * id, a shortened message and author, newest first, as many as fit (the head always); the paths
 * they changed move to `changedPaths` (once each) so path filters still work, unless they are too
 * many to list, when `pathsKnown` turns false and every app of the repository counts as changed.
 *
 * @example
 * ```ts
 * const detail = fitCommitPushed(parsed); // JSON.stringify(detail).length <= MAX_COMMIT_PUSHED_BYTES
 * ```
 */
export function fitCommitPushed(detail: CommitPushed, maxBytes = MAX_COMMIT_PUSHED_BYTES): CommitPushed {
  if (sizeOf(detail) <= maxBytes) return detail;
  const paths = new Set<string>();
  for (const commit of detail.commits) {
    for (const path of [...commit.added, ...commit.modified, ...commit.removed]) paths.add(path);
  }
  const listed = [...paths];
  const pathsFit = detail.pathsKnown && sizeOf(listed) <= MAX_PATHS_BYTES;
  const base: CommitPushed = {
    ...detail,
    commits: [],
    ...(pathsFit ? { changedPaths: listed } : { pathsKnown: false }),
    // Counted at its largest so the final count cannot push the detail over the limit.
    commitsOmitted: detail.commits.length,
  };
  // Newest first: the head commit is what is built and what notifications quote.
  const newestFirst = [...detail.commits].reverse().map(slim);
  const kept: PushedCommit[] = [];
  let size = sizeOf(base);
  for (const commit of newestFirst) {
    const added = sizeOf(commit) + 1;
    if (kept.length > 0 && size + added > maxBytes) break;
    kept.push(commit);
    size += added;
  }
  return { ...base, commits: kept.reverse(), commitsOmitted: detail.commits.length - kept.length };
}

function slim(commit: PushedCommit): PushedCommit {
  return {
    ...commit,
    message:
      commit.message.length > MAX_MESSAGE_CHARS
        ? `${commit.message.slice(0, MAX_MESSAGE_CHARS - 1)}…`
        : commit.message,
    added: [],
    modified: [],
    removed: [],
  };
}

function sizeOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}
