import { ShiplineError } from "../errors/shipline-error.js";

/** One thing wrong with a configuration file: where, what, and how to fix it. */
export interface ConfigProblem {
  /** The key path, as a reader writes it: `apps[0].deploy.staging.file`; `(root)` for the file itself. */
  readonly path: string;
  /** What is wrong, showing the bad value (never a secret). */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  /** 1-based column in the file, when known. */
  readonly column?: number;
}

/**
 * Renders a problem as one line: `<key path>: <what is wrong>; <how to fix> (line N)`.
 *
 * @example
 * ```ts
 * formatProblem({ path: "apps[0].image.tag", message: "'latest' is mutable", fix: "use {sha}", line: 12 });
 * // "apps[0].image.tag: 'latest' is mutable; use {sha} (line 12)"
 * ```
 */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? "" : ` (line ${problem.line})`;
  return `${problem.path}: ${problem.message}; ${problem.fix}${where}`;
}

/**
 * Builds the one `CONFIG_INVALID` error that lists every problem of a file, ordered by line.
 * `data.problems` holds the {@link ConfigProblem}s and `data.source` the file name.
 *
 * @example
 * ```ts
 * throw configInvalid("shipline.config.yaml", problems);
 * ```
 */
export function configInvalid(source: string, problems: readonly ConfigProblem[]): ShiplineError {
  const sorted = [...problems].sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
  );
  const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
  return new ShiplineError({
    code: "CONFIG_INVALID",
    message: `${source} has ${count}:\n${sorted.map((problem) => `  - ${formatProblem(problem)}`).join("\n")}`,
    data: { source, problems: sorted },
    retryable: false,
  });
}
