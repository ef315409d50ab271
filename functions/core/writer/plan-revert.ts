import { ShiplineError } from "../errors/shipline-error.js";
import { applyEdit } from "../manifest/apply-edits.js";
import type { ManifestChange } from "../manifest/edit-result.js";
import { diffScalars } from "./scalar-diff.js";

/** The versions of one file a revert works from. */
export interface RevertSource {
  /** The config commit being undone. */
  readonly configCommit: string;
  /** The file. */
  readonly file: string;
  /** The file in the parent of the config commit (`undefined`: it did not exist). */
  readonly before: string | undefined;
  /** The file in the config commit (`undefined`: the commit deleted it). */
  readonly after: string | undefined;
  /** The target's chart file in the parent and in the config commit, when it is another file. */
  readonly chart?: { readonly before: string | undefined; readonly after: string | undefined };
}

/** What undoing one commit's edit of a file did to the current text. */
export interface RevertResult {
  /** The new text (equal to the input when nothing was left to undo). */
  readonly text: string;
  /** The scalars set back. */
  readonly changes: readonly ManifestChange[];
  /** Scalars that already held their old value (reverted before). */
  readonly alreadyReverted: number;
}

/**
 * Undoes one config commit's edit of one file on the file as it is now: every scalar the commit
 * changed is set back to its value in the commit's parent, with a `scalar` edit that expects the
 * value the commit wrote, so later commits that touched other lines are kept. A scalar that
 * already holds its old value is left alone (the revert ran before).
 *
 * Throws permanent ShiplineErrors: `REVERT_NOTHING` (the commit did not change the file's
 * values), `REVERT_UNSUPPORTED` (it created or deleted the file, or added or removed keys),
 * `REVERT_CONFLICT` (a later commit changed one of the same scalars again: undo that one first or
 * write a new update).
 *
 * @example
 * ```ts
 * const { text } = revertFileEdit({ source: { configCommit, file, before, after }, current });
 * ```
 */
export function revertFileEdit(options: {
  readonly source: RevertSource;
  readonly current: string;
  /**
   * The scalars the revert may set back (`<documentIndex>#<path>`): the deploy target's own, so
   * that other targets the same commit changed in the file (another app, another environment) stay.
   * @default - every scalar the commit changed
   */
  readonly only?: ReadonlySet<string>;
}): RevertResult {
  const { source } = options;
  const data = { configCommit: source.configCommit, file: source.file };
  if (source.before === undefined || source.after === undefined) {
    throw new ShiplineError({
      code: "REVERT_UNSUPPORTED",
      message: `config commit ${source.configCommit} ${source.before === undefined ? "created" : "deleted"} ${source.file}; Shipline only undoes value edits, so revert it with git by hand`,
      data,
    });
  }
  const all = diffScalars({ before: source.before, after: source.after });
  const only = options.only;
  const diff =
    only === undefined
      ? all
      : {
          ...all,
          changes: all.changes.filter((change) => only.has(`${change.documentIndex}#${change.path}`)),
        };
  if (diff.structural.length > 0) {
    throw new ShiplineError({
      code: "REVERT_UNSUPPORTED",
      message: `config commit ${source.configCommit} added or removed ${diff.structural.join(", ")} in ${source.file}; Shipline only undoes changed values, so revert it with git by hand`,
      data: { ...data, paths: diff.structural },
    });
  }
  if (diff.changes.length === 0) {
    throw new ShiplineError({
      code: "REVERT_NOTHING",
      message: `config commit ${source.configCommit} changed no value in ${source.file}; check revertOf and the target file`,
      data,
    });
  }
  let text = options.current;
  const changes: ManifestChange[] = [];
  let alreadyReverted = 0;
  for (const change of diff.changes) {
    const edit = {
      kind: "scalar" as const,
      path: change.path,
      value: change.previous,
      expect: change.next,
      documentIndex: change.documentIndex,
    };
    try {
      const result = applyEdit({ text, edit });
      text = result.text;
      changes.push(...result.changes);
    } catch (error) {
      if (!(error instanceof ShiplineError) || error.code !== "MANIFEST_VALUE_CONFLICT") throw error;
      if (error.data.current === change.previous) {
        alreadyReverted += 1;
        continue;
      }
      throw new ShiplineError({
        code: "REVERT_CONFLICT",
        message: `cannot undo config commit ${source.configCommit}: ${source.file} "${change.path}" now holds ${JSON.stringify(error.data.current)}, set by a later commit (the commit wrote ${JSON.stringify(change.next)}); undo the later commit first or deploy the wanted image with an update`,
        data: { ...data, path: change.path, current: error.data.current, expected: change.next },
        cause: error,
      });
    }
  }
  return { text, changes, alreadyReverted };
}
