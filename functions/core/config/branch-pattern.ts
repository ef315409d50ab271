import { refFormatProblem } from "../webhook/ref-format-problem.js";
import { text } from "./fields.js";
import { say } from "./say.js";

/**
 * A branch name or glob (`main`, `release/*`) that some branch can match: no `refs/` prefix, and,
 * its wildcards aside, a name git accepts. `example` completes the messages ("add <example>").
 *
 * @example
 * ```ts
 * const branch = branchPattern("a branch name or glob, e.g. main").default("main");
 * ```
 */
export function branchPattern(example: string) {
  return text(example)
    .refine((branch) => !branch.startsWith("refs/"), {
      error: (issue) =>
        say(
          `'${String(issue.input)}' is a ref`,
          `write the branch name without the prefix, e.g. ${String(issue.input).replace(/^refs\/(?:heads\/)?/, "")}`,
        ),
    })
    .superRefine((branch, ctx) => {
      // A glob's wildcards aside, the pattern must be a name git accepts, or no branch ever matches it.
      const problem = refFormatProblem(`refs/heads/${branch.replace(/[*?]/g, "x")}`);
      if (problem !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: say(
            `'${branch}' can match no branch: ${problem.replace(/^it /, "the name ")}`,
            "write a branch name or glob git accepts, e.g. main or release/*",
          ),
        });
      }
    });
}
