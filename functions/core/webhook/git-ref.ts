/** The all-zero object id hosts send as `before` of a new ref and `after` of a deleted one. */
export const ZERO_SHA = "0".repeat(40);

/** A ref split into its kind and short name. */
export interface GitRef {
  /** `branch` for `refs/heads/*`, `tag` for `refs/tags/*`. */
  readonly refType: "branch" | "tag";
  /** The name without its prefix, e.g. `main` or `v1.2.0`. */
  readonly refName: string;
}

/**
 * Splits a full ref name; other refs (`refs/pull/*`, `refs/notes/*`, ...) give undefined.
 *
 * @example
 * ```ts
 * parseGitRef("refs/heads/feature/x"); // { refType: "branch", refName: "feature/x" }
 * ```
 */
export function parseGitRef(ref: string): GitRef | undefined {
  if (ref.startsWith("refs/heads/") && ref.length > "refs/heads/".length) {
    return { refType: "branch", refName: ref.slice("refs/heads/".length) };
  }
  if (ref.startsWith("refs/tags/") && ref.length > "refs/tags/".length) {
    return { refType: "tag", refName: ref.slice("refs/tags/".length) };
  }
  return undefined;
}

/**
 * Tells whether an object id is absent or the null id (all zeros) that marks a missing side of a ref update.
 *
 * @example
 * ```ts
 * isZeroSha("0000000000000000000000000000000000000000"); // true
 * ```
 */
export function isZeroSha(sha: string | null | undefined): boolean {
  return sha === undefined || sha === null || /^0+$/.test(sha);
}
