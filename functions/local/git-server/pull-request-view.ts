import type { LocalPullRequest } from "./pull-request-store.js";

/**
 * A pull request as it stands now: while it is open its `head.sha` and `base.sha` follow the
 * branches (from `heads`, branch name to commit); once closed they keep the last commits seen.
 *
 * @example
 * ```ts
 * const current = withBranchHeads(stored, await readBranchHeads(gitDir));
 * ```
 */
export function withBranchHeads(
  pullRequest: LocalPullRequest,
  heads: ReadonlyMap<string, string>,
): LocalPullRequest {
  if (pullRequest.state !== "open") return pullRequest;
  const { head, base } = pullRequest;
  return {
    ...pullRequest,
    head: { ref: head.ref, sha: heads.get(head.ref) ?? head.sha },
    base: { ref: base.ref, sha: heads.get(base.ref) ?? base.sha },
  };
}

/**
 * Splits a GitHub `head` value, `owner:branch` or `branch`, into its owner (when given) and branch.
 *
 * @example
 * ```ts
 * splitHead("local:shipline/production/demo"); // { owner: "local", branch: "shipline/production/demo" }
 * ```
 */
export function splitHead(head: string): { readonly owner?: string; readonly branch: string } {
  const colon = head.indexOf(":");
  if (colon === -1) return { branch: head };
  return { owner: head.slice(0, colon), branch: head.slice(colon + 1) };
}
