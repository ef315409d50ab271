import * as z from "zod";
import { branchPattern } from "./branch-pattern.js";
import { show, text } from "./fields.js";
import { say } from "./say.js";

const KEYS = ["branches", "tags", "semver"] as const;

const branches = z.preprocess(
  (value) => (typeof value === "string" ? [value] : value),
  z
    .array(branchPattern("a branch name or glob, e.g. main or release/*"), {
      error: (issue) =>
        say(
          issue.input === undefined ? "is missing" : `${show(issue.input)} is not a list of branches`,
          'list branch names or globs, e.g. branches: [main, "release/*"]',
        ),
    })
    .min(1, { error: say("is an empty list", "list at least one branch, e.g. [main], or remove the key") }),
);

const tags = text(
  "a regular expression of the tags to accept, e.g. '^v[0-9]+[.][0-9]+[.][0-9]+$'",
).superRefine((pattern, ctx) => {
  const slashed = /^\/(.*)\/[a-z]*$/s.exec(pattern);
  if (slashed !== null) {
    ctx.addIssue({
      code: "custom",
      message: say(
        `'${pattern}' is written as a JavaScript literal`,
        `write the expression without the slashes, e.g. '${slashed[1] ?? ""}'`,
      ),
    });
    return;
  }
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: say(
        `'${pattern}' is not a regular expression (${error instanceof Error ? error.message : String(error)})`,
        "write a regular expression such as '^v[0-9]+[.][0-9]+[.][0-9]+$' (quote it in YAML)",
      ),
    });
  }
});

/** A semver range: that npm's semver reads it is checked where the YAML is read (`checkAcceptRanges`). */
const semverRange = text("a semver range, e.g. '>=1.2.0 <2'");

/**
 * Which announced images of an app enter the chain. Every key given must hold (an image failing one
 * is refused, with the reason, and never deployed); no `accept` accepts every image.
 * - `branches`: names or globs (`main`, `release/*`); the image's source commit (its
 *   `org.opencontainers.image.revision` label, or the commit its tag names) must be the head of, or in
 *   the history of, one of these branches of the app's repository, as git says when the image is
 *   announced. A label the CI writes (a branch name) is not taken as proof.
 * - `tags`: a regular expression (JavaScript, Unicode) the tag the image is announced and deployed
 *   under must match; like Flux's and Kargo's tag filters it is not anchored: write `^` and `$`.
 * - `semver`: a range (npm's syntax) the image's version must satisfy: the `{version}` part of its
 *   tag when the tag template has one, else the whole tag (a leading `v` allowed). Pre-releases
 *   satisfy only a range that names a pre-release of the same version, as in npm.
 *
 * @example
 * ```ts
 * acceptPolicy.parse({ branches: ["main", "release/*"], semver: ">=1.2.0 <2" });
 * ```
 */
export const acceptPolicy = z
  .strictObject(
    {
      branches: branches.optional(),
      tags: tags.optional(),
      semver: semverRange.optional(),
    },
    {
      error: (issue) =>
        issue.code === "invalid_type"
          ? say(
              `${show(issue.input)} is not a mapping`,
              'write accept: { branches: [main], tags: "^v[0-9.]+$", semver: ">=1.0.0" } with the keys you need',
            )
          : undefined,
    },
  )
  .superRefine((policy, ctx) => {
    if (KEYS.every((key) => policy[key] === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: say(
          "says nothing about which images to accept",
          "add branches, tags or semver, or remove accept to take every image",
        ),
      });
    }
  });

/** An app's acceptance policy (output of {@link acceptPolicy}). */
export type AcceptPolicy = z.output<typeof acceptPolicy>;
