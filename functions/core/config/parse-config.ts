import { LineCounter, parseDocument } from "yaml";
import { formatPath } from "../contracts/format-issues.js";
import { checkReferences } from "./check-references.js";
import { checkTargets } from "./check-targets.js";
import { type ConfigProblem, configInvalid } from "./config-problem.js";
import { ConfigView } from "./config-view.js";
import { configIssueMessages, type PathProblem } from "./issue-messages.js";
import { type ShiplineConfig, shiplineConfig } from "./shipline-config.js";
import { locate } from "./yaml-locations.js";

/**
 * Parses and validates the text of a `shipline.config.yaml`. Every problem is collected (YAML
 * syntax, unknown keys, bad values, duplicate names, missing references, `promoteFrom` cycles,
 * paths leaving their repository, unsafe tag templates, colliding targets) and thrown at once as
 * one permanent `CONFIG_INVALID` ShiplineError whose message has a line per problem,
 * `<key path>: <what is wrong>; <how to fix> (line N)`, and whose `data.problems` lists
 * {@link ConfigProblem}s. `source` names the file in the message.
 *
 * @example
 * ```ts
 * const config = parseConfig(await readFile("shipline.config.yaml", "utf8"));
 * config.environments[0]?.soakSeconds; // 30
 * ```
 */
export function parseConfig(text: string, source = "shipline.config.yaml"): ShiplineConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw configInvalid(
      source,
      doc.errors.map((error) => ({
        path: "(root)",
        message: `YAML syntax: ${error.message.split("\n")[0] ?? error.code}`,
        fix: "fix the YAML at that line (indentation, quotes, a ':' after each key)",
        ...(error.linePos ? { line: error.linePos[0].line, column: error.linePos[0].col } : {}),
      })),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
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
    ...checkReferences(view),
    ...checkTargets(view),
  ];
  if (result.success && found.length === 0) return result.data;
  const problems = dedupe(found).map((problem): ConfigProblem => {
    const position = locate(doc, lineCounter, problem.path);
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
