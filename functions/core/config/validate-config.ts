import { formatPath } from "../contracts/format-issues.js";
import { type ConfigProblem, configInvalid } from "./config-problem.js";
import { ConfigView } from "./config-view.js";
import { configIssueMessages, type PathProblem } from "./issue-messages.js";
import { type ShiplineConfig, shiplineConfig } from "./shipline-config.js";

/** Options of {@link validateConfig}. */
export interface ValidateConfigOptions {
  /** The document, as YAML or JSON parsing gave it. */
  readonly raw: unknown;
  /** The file (or variable) the document came from, named in the error. */
  readonly source: string;
  /**
   * Where a key path is written in the file, for the `(line N)` of each problem.
   *
   * @default - problems carry no line
   */
  readonly locate?: (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;
  /**
   * Checks beyond the schema, run with it (problems of all are thrown together): the checks across
   * keys (`checkReferences`, `checkTargets`) and the others only the file a person writes needs,
   * such as `checkAcceptRanges`. A step function's JSON was written from a file that passed them.
   *
   * @default - none
   */
  readonly checks?: readonly ((view: ConfigView) => PathProblem[])[];
}

/**
 * Validates a parsed configuration document: the schema key by key, then the `checks` given (`parseConfig`
 * gives those across keys: names, references, cycles, collisions). Every problem is thrown at once as one permanent
 * `CONFIG_INVALID` ShiplineError (see `parseConfig`). Shared by `parseConfig` (YAML text, problems
 * located by line) and `parseConfigJson` (the JSON the CDK app hands to the step functions).
 *
 * @example
 * ```ts
 * const config = validateConfig({ raw: JSON.parse(json), source: "CONFIG_JSON" });
 * ```
 */
export function validateConfig(options: ValidateConfigOptions): ShiplineConfig {
  const { raw, source } = options;
  if (raw === null || raw === undefined) {
    throw configInvalid(source, [
      {
        path: "(root)",
        message: "the file is empty",
        fix: "start from the example shipline.config.yaml at the root of the Shipline repository",
      },
    ]);
  }
  const messages = configIssueMessages();
  const result = shiplineConfig.safeParse(raw, { error: messages.error });
  const view = new ConfigView(raw);
  const found: PathProblem[] = [
    ...(result.success ? [] : messages.toProblems(result.error.issues)),
    ...(options.checks ?? []).flatMap((check) => check(view)),
  ];
  if (result.success && found.length === 0) return result.data;
  const problems = dedupe(found).map((problem): ConfigProblem => {
    const position = options.locate?.(problem.path);
    return {
      path: formatPath(problem.path) || "(root)",
      message: problem.message,
      fix: problem.fix,
      ...(position ? { line: position.line, column: position.column } : {}),
    };
  });
  throw configInvalid(source, problems);
}

function dedupe(problems: readonly PathProblem[]): PathProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${formatPath(problem.path)}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
