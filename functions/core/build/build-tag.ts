import { ShiplineError } from "../errors/shipline-error.js";
import { renderTag } from "../tag-template.js";

/** Placeholders only the build itself can fill in. */
export type BuildTimePlaceholder = "version" | "build";

/** A tag known at start, or a tag the build completes. */
export type BuildTag =
  /** Every placeholder was filled in: this is the image's tag. */
  | { readonly kind: "rendered"; readonly tag: string }
  /**
   * The template needs values only the build has: `{version}` (read from the checkout) and, when no
   * build number was given, `{build}`. `template` has every other placeholder filled in.
   */
  | {
      readonly kind: "pending";
      readonly template: string;
      readonly pending: readonly BuildTimePlaceholder[];
    };

/** Options of {@link renderBuildTag}. */
export interface RenderBuildTagOptions {
  /** The app's tag template (`image.tag`). */
  readonly template: string;
  /** The full source commit. */
  readonly sha: string;
  /** The branch pushed, for `{branch}`. */
  readonly branch?: string;
  /** The app's version, for `{version}`, when it is already known. */
  readonly version?: string;
  /** The build number, for `{build}`, when it is already known. */
  readonly build?: number | string;
}

// Stand-ins for values the build fills in: they let renderTag check everything else (template,
// characters, `latest`) now, and are swapped back for their placeholders afterwards.
const SLOTS: Readonly<Record<BuildTimePlaceholder, string>> = {
  version: "SHIPLINEVERSIONSLOT",
  build: "8675309182736450",
};

const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const VERSION_CHARS = /^[A-Za-z0-9._-]+$/;

/**
 * Renders an app's image tag as far as it can be known before the build runs. `{sha}`, `{sha7}` and
 * `{branch}` are always filled in; `{version}` and `{build}` are filled in when given, else left for
 * the build (which reads the version from its checkout and knows its own number) and completed there
 * with {@link completeTag}. Throws `TAG_INVALID` (permanent) for a template that is invalid, could be
 * `latest`, or renders something that is not an OCI tag.
 *
 * @example
 * ```ts
 * renderBuildTag({ template: "{branch}-{sha7}", sha, branch: "main" }); // { kind: "rendered", tag: "main-0123456" }
 * renderBuildTag({ template: "{version}-{sha7}", sha });                // { kind: "pending", template: "{version}-0123456", pending: ["version"] }
 * ```
 */
export function renderBuildTag(options: RenderBuildTagOptions): BuildTag {
  const { template, sha } = options;
  const pending: BuildTimePlaceholder[] = [];
  if (template.includes("{version}") && (options.version === undefined || options.version === "")) {
    pending.push("version");
  }
  if (template.includes("{build}") && options.build === undefined) pending.push("build");
  const rendered = renderTag(template, {
    sha,
    ...(options.branch === undefined ? {} : { branch: options.branch }),
    version: pending.includes("version") ? SLOTS.version : options.version,
    build: pending.includes("build") ? SLOTS.build : options.build,
  });
  if (pending.length === 0) return { kind: "rendered", tag: rendered };
  let partial = rendered;
  for (const name of pending) {
    if (partial.split(SLOTS[name]).length !== 2) {
      throw tagError(
        `tag template '${template}' could not keep {${name}} for the build to fill in, because another value rendered the same text; rename the branch or change the template`,
        { template },
      );
    }
    partial = partial.replace(SLOTS[name], `{${name}}`);
  }
  return { kind: "pending", template: partial, pending };
}

/** Options of {@link completeTag}. */
export interface CompleteTagOptions {
  /** A pending template from {@link renderBuildTag} (its `template`). */
  readonly template: string;
  /** The app's version read from the checkout; `+` (semver build metadata) becomes `_`. */
  readonly version?: string;
  /** The build number. */
  readonly build?: number | string;
}

/**
 * Completes a pending tag inside the build: `{version}` and `{build}` are replaced and the result is
 * checked again. Throws `TAG_INVALID` when a value is missing or the tag is not a valid OCI tag or is
 * `latest`. The generated buildspec does the same in shell:
 * `tag="${SHIPLINE_IMAGE_TAG_TEMPLATE//\{version\}/${version//+/_}}"; tag="${tag//\{build\}/$CODEBUILD_BUILD_NUMBER}"`
 * followed by a check against `^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`.
 *
 * @example
 * ```ts
 * completeTag({ template: "{version}-0123456", version: "1.4.0+exp" }); // "1.4.0_exp-0123456"
 * ```
 */
export function completeTag(options: CompleteTagOptions): string {
  const { template } = options;
  let tag = template;
  if (tag.includes("{version}")) {
    const version = (options.version ?? "").trim().replaceAll("+", "_");
    if (!VERSION_CHARS.test(version)) {
      throw tagError(
        `version '${options.version ?? ""}' cannot go into tag '${template}'; give a version of letters, digits, '.', '_', '-' and '+'`,
        { template, version: options.version },
      );
    }
    tag = tag.replaceAll("{version}", version);
  }
  if (tag.includes("{build}")) {
    const build = options.build === undefined ? "" : String(options.build);
    if (!/^[0-9]+$/.test(build)) {
      throw tagError(`build number '${build}' cannot go into tag '${template}'; pass the build's number`, {
        template,
      });
    }
    tag = tag.replaceAll("{build}", build);
  }
  if (!OCI_TAG.test(tag) || tag.toLowerCase() === "latest") {
    throw tagError(
      `tag '${tag}' completed from '${template}' is not a valid immutable OCI tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}, never latest); shorten the version or change the template`,
      { template, tag },
    );
  }
  return tag;
}

function tagError(message: string, data: Record<string, unknown>): ShiplineError {
  return new ShiplineError({ code: "TAG_INVALID", message, data, retryable: false });
}
