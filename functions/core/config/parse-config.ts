import { LineCounter, parseDocument } from "yaml";
import { checkAcceptRanges } from "./check-accept-ranges.js";
import { checkBakePolicies } from "./check-bake-policies.js";
import { checkCharts } from "./check-charts.js";
import { checkReferences } from "./check-references.js";
import { checkTargets } from "./check-targets.js";
import { configInvalid } from "./config-problem.js";
import type { ShiplineConfig } from "./shipline-config.js";
import { validateConfig } from "./validate-config.js";
import { locate } from "./yaml-locations.js";

/** The most alias expansions a configuration may use (an alias bomb expands exponentially). */
const MAX_ALIAS_COUNT = 100;

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
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml library refuses an alias that expands too often (an "alias bomb").
    throw configInvalid(source, [
      {
        path: "(root)",
        message: `YAML aliases expand too much: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        fix: `use at most ${MAX_ALIAS_COUNT} alias expansions (*name); write repeated values out, or use fewer nested aliases`,
      },
    ]);
  }
  return validateConfig({
    raw,
    source,
    locate: (path) => locate(doc, lineCounter, path),
    checks: [checkReferences, checkTargets, checkAcceptRanges, checkBakePolicies, checkCharts],
  });
}
