import picomatch from "picomatch";
import satisfies from "semver/functions/satisfies.js";
import validVersion from "semver/functions/valid.js";
import type { AcceptPolicy } from "../config/accept-policy.js";
import type { ACCEPT_RULES } from "../contracts/events/image-refused.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { COMMIT_NOT_FOUND } from "../ports/commit-ancestry.js";
import type { SourceBranches } from "../ports/source-branches.js";
import { parseTagBack } from "../tag-template.js";

/** What {@link checkAcceptance} decided. */
export type AcceptanceDecision =
  | { readonly accepted: true }
  | {
      readonly accepted: false;
      /** The rule the image failed. */
      readonly rule: (typeof ACCEPT_RULES)[number];
      /** Why, with what would let such an image in. */
      readonly reason: string;
    };

/** Options of {@link checkAcceptance}. */
export interface CheckAcceptanceOptions {
  /** The app's `accept` policy; undefined accepts every image. */
  readonly policy: AcceptPolicy | undefined;
  /**
   * The app's source repository (`source.repo`), whose branches `accept.branches` names; without
   * it `accept.branches` refuses every image. @default - none
   */
  readonly repo?: string;
  /** The app's tag template: its `{version}` part is what `accept.semver` judges. */
  readonly tagTemplate: string;
  /** The image's source commit (full sha). */
  readonly commit: string;
  /** The tag the image is announced, and would be deployed, under. */
  readonly tag: string;
  /**
   * Tells which branches hold a commit. Without it an `accept.branches` policy refuses every image
   * (it fails closed). @default - none
   */
  readonly branches?: SourceBranches;
}

const GLOB_OPTIONS = { dot: true } as const;

/**
 * Applies an app's acceptance policy to an announced image; every rule given must hold, checked
 * from the cheapest: `tags` (a regular expression the tag must match), `semver` (a range the
 * image's version must satisfy: the `{version}` part of its tag when the template has one, else the
 * whole tag, a leading `v` allowed), then `branches` (the commit must be the head of, or in the
 * history of, an allowed branch of the app's repository, read from git now). A commit the
 * repository lacks is refused; a repository that cannot be reached throws its retryable error, so
 * the announcement is tried again.
 *
 * @example
 * ```ts
 * const decision = await checkAcceptance({ policy: app.accept, repo: app.source.repo, tagTemplate: app.image.tag, commit, tag, branches });
 * if (!decision.accepted) logger.info("Image refused", { rule: decision.rule, reason: decision.reason });
 * ```
 */
export async function checkAcceptance(options: CheckAcceptanceOptions): Promise<AcceptanceDecision> {
  const { policy, tag } = options;
  if (policy === undefined) return { accepted: true };
  if (policy.tags !== undefined && !new RegExp(policy.tags, "u").test(tag)) {
    return {
      accepted: false,
      rule: "tags",
      reason: `tag '${tag}' does not match accept.tags '${policy.tags}'; push the image under a tag that matches, or change accept.tags`,
    };
  }
  if (policy.semver !== undefined) {
    const refusal = semverRefusal(policy.semver, options.tagTemplate, tag);
    if (refusal !== undefined) return { accepted: false, rule: "semver", reason: refusal };
  }
  if (policy.branches !== undefined) {
    const refusal = await branchRefusal(options, policy.branches);
    if (refusal !== undefined) return { accepted: false, rule: "branches", reason: refusal };
  }
  return { accepted: true };
}

/** The version `accept.semver` judges: the template's `{version}` part, else the tag itself. */
function versionOf(template: string, tag: string): { readonly text: string; readonly from: string } {
  if (template.includes("{version}")) {
    const version = parseTagBack(template, tag)?.version;
    if (version !== undefined) return { text: version, from: `the {version} part of tag '${tag}'` };
  }
  return { text: tag.replace(/^v(?=\d)/, ""), from: `tag '${tag}'` };
}

function semverRefusal(range: string, template: string, tag: string): string | undefined {
  const version = versionOf(template, tag);
  const valid = validVersion(version.text);
  if (valid === null) {
    return `${version.from} ('${version.text}') is not a semver version, so it cannot satisfy accept.semver '${range}'; tag the image with a version such as 1.4.0 (or {version}-{sha7} in the tag template), or remove accept.semver`;
  }
  if (!satisfies(valid, range)) {
    return `version ${valid} (${version.from}) is outside accept.semver '${range}'; release a version in the range, or change accept.semver`;
  }
  return undefined;
}

async function branchRefusal(
  options: CheckAcceptanceOptions,
  allowed: readonly string[],
): Promise<string | undefined> {
  const short = options.commit.slice(0, 7);
  const list = allowed.join(", ");
  const { repo, branches } = options;
  if (repo === undefined || branches === undefined) {
    return `accept.branches (${list}) needs the history of the app's repository, which this announcer cannot read; the image is refused rather than let in unchecked`;
  }
  let holding: readonly string[];
  try {
    holding = await branches.branchesContaining(repo, options.commit);
  } catch (error) {
    if (error instanceof ShiplineError && error.code === COMMIT_NOT_FOUND) {
      return `commit ${short} is on no branch of ${repo} (it was never pushed there, or its history was rewritten); accept.branches (${list}) takes images built from those branches only`;
    }
    throw error;
  }
  const matches = picomatch([...allowed], GLOB_OPTIONS);
  if (holding.some((branch) => matches(branch))) return undefined;
  const where =
    holding.length === 0
      ? "on no branch"
      : `on ${holding.length === 1 ? "branch" : "branches"} ${holding.slice(0, 5).join(", ")}${holding.length > 5 ? ", ..." : ""} only`;
  return `commit ${short} is ${where}, which accept.branches (${list}) does not allow; build the image from an allowed branch (merge it first), or add its branch to accept.branches`;
}
