import validRange from "semver/ranges/valid.js";
import { app } from "./app.js";
import type { ConfigView } from "./config-view.js";
import type { PathProblem } from "./issue-messages.js";

/**
 * Checks that each app's `accept.semver` is a range npm's semver reads. Run where the YAML is read
 * (`parseConfig`: the CLI, `npm start`, `cdk synth`), not by the step functions, which parse the JSON
 * `cdk synth` wrote from a configuration that passed it: so they do not bundle semver's range parser
 * for this one check (image-pushed and its sweep, which judge images by the range, bundle it anyway).
 *
 * @example
 * ```ts
 * checkAcceptRanges(new ConfigView(yamlValue)); // [{ path: ["apps", 0, "accept", "semver"], ... }]
 * ```
 */
export function checkAcceptRanges(view: ConfigView): PathProblem[] {
  return view.parsed("apps", app).flatMap(({ index, value }) => {
    const range = value.accept?.semver;
    if (range === undefined || validRange(range) !== null) return [];
    return [
      {
        path: ["apps", index, "accept", "semver"],
        message: `'${range}' is not a semver range`,
        fix: "write a range as npm does, e.g. '>=1.2.0 <2', '^1.4' or '1.x' (quote it in YAML)",
      },
    ];
  });
}
