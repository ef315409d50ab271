import { ShiplineError } from "./errors/shipline-error.js";

/** The placeholders a tag template may use. */
export const TAG_PLACEHOLDERS = ["sha", "sha7", "version", "branch", "build"] as const;

/** One of {@link TAG_PLACEHOLDERS}. */
export type TagPlaceholder = (typeof TAG_PLACEHOLDERS)[number];

/** What a tag is rendered from. */
export interface TagValues {
  /** The full source commit (40 or 64 lower-case hex characters). */
  readonly sha: string;
  /** The branch pushed; `refs/heads/` is dropped and other characters are made tag-safe. */
  readonly branch?: string;
  /** The app version (e.g. from package.json); `+` (semver build metadata) becomes `_`, as Helm does. */
  readonly version?: string;
  /** The build number, digits only. */
  readonly build?: string | number;
}

/** The values recovered from a rendered tag by {@link parseTagBack}. */
export interface TagParts {
  /** The short commit: always present, taken from `{sha}` when the template has no `{sha7}`. */
  readonly sha7: string;
  /** The full commit, when the template has `{sha}`. */
  readonly sha?: string;
  /** The version as it appears in the tag (after `+` became `_`). */
  readonly version?: string;
  /** The branch as it appears in the tag (sanitised). */
  readonly branch?: string;
  /** The build number. */
  readonly build?: string;
}

/** A reason a template is refused, and how to fix it. */
export interface TagTemplateProblem {
  readonly message: string;
  readonly fix: string;
}

type Segment =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "slot"; readonly name: TagPlaceholder };

const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const TAG_CHARS = /^[A-Za-z0-9._-]*$/;
const MAX_BRANCH = 63;
const PLACEHOLDER_LIST = TAG_PLACEHOLDERS.map((name) => `{${name}}`).join(", ");

/** The shortest text each placeholder renders to, and the characters it may start with. */
const SLOT_RULES: Record<TagPlaceholder, { readonly min: number; readonly chars: RegExp }> = {
  sha: { min: 40, chars: /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/ },
  sha7: { min: 7, chars: /^[0-9a-f]{7}$/ },
  version: { min: 1, chars: /^[A-Za-z0-9._-]+$/ },
  branch: { min: 1, chars: /^[A-Za-z0-9_][A-Za-z0-9._-]{0,62}$/ },
  build: { min: 1, chars: /^[0-9]+$/ },
};

/**
 * Checks a tag template: it must contain `{sha}` or `{sha7}` (so every tag is immutable), use only
 * known placeholders, each at most once, keep its literal parts to OCI tag characters, start with a
 * character a tag may start with, and never render `latest`. Returns every problem; empty means valid.
 *
 * @example
 * ```ts
 * validateTagTemplate("{version}-{sha7}"); // []
 * validateTagTemplate("latest");            // [{ message: "'latest' is a mutable tag", fix: "use {sha} ..." }]
 * ```
 */
export function validateTagTemplate(template: string): TagTemplateProblem[] {
  if (template.trim() === "") {
    return [{ message: "is empty", fix: "use a template such as {sha} or {version}-{sha7}" }];
  }
  const { segments, problems } = tokenize(template);
  const seen = new Set<TagPlaceholder>();
  for (const segment of segments) {
    if (segment.kind === "literal") {
      if (!TAG_CHARS.test(segment.text) && !/[{}]/.test(segment.text)) {
        problems.push({
          message: `literal text '${segment.text}' has characters a tag cannot hold`,
          fix: "use only letters, digits, '.', '_' and '-' outside the placeholders",
        });
      }
    } else if (seen.has(segment.name)) {
      problems.push({ message: `{${segment.name}} appears twice`, fix: `keep one {${segment.name}}` });
    } else {
      seen.add(segment.name);
    }
  }
  if (template.toLowerCase() === "latest") {
    problems.push({ message: "'latest' is a mutable tag", fix: "use {sha} or {version}-{sha7}" });
  } else if (!seen.has("sha") && !seen.has("sha7")) {
    problems.push({
      message: `'${template}' does not contain {sha} or {sha7}, so the same tag could name different images`,
      fix: "add {sha7} or {sha} to make every tag immutable, e.g. {version}-{sha7}",
    });
  }
  const first = segments[0];
  if (first?.kind === "literal" && /^[.-]/.test(first.text)) {
    problems.push({
      message: `starts with '${first.text[0]}'`,
      fix: "start with a letter, a digit, '_' or a placeholder",
    });
  }
  const shortest = segments.reduce(
    (sum, segment) => sum + (segment.kind === "literal" ? segment.text.length : SLOT_RULES[segment.name].min),
    0,
  );
  if (shortest > 128) {
    problems.push({
      message: `renders at least ${shortest} characters`,
      fix: "shorten the literal parts: a tag holds at most 128 characters",
    });
  }
  return problems;
}

/**
 * Renders a tag from a template. Throws `TAG_INVALID` when the template is invalid, a value it
 * needs is missing, or the result is not an OCI tag (`[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`) or is
 * `latest`.
 *
 * @example
 * ```ts
 * renderTag("{version}-{sha7}", { sha: "0123456789abcdef0123456789abcdef01234567", version: "1.4.0" });
 * // "1.4.0-0123456"
 * ```
 */
export function renderTag(template: string, values: TagValues): string {
  const problems = validateTagTemplate(template);
  if (problems.length > 0) {
    throw tagError(
      `tag template '${template}' is invalid: ${problems.map((p) => `${p.message}; ${p.fix}`).join("; ")}`,
      { template, problems },
    );
  }
  if (!SLOT_RULES.sha.chars.test(values.sha)) {
    throw tagError(
      `'${values.sha}' is not a full commit sha; pass the 40 or 64 character lower-case hex id`,
      {
        template,
      },
    );
  }
  const rendered = tokenize(template)
    .segments.map((segment) =>
      segment.kind === "literal" ? segment.text : slotValue(segment.name, values, template),
    )
    .join("");
  if (!OCI_TAG.test(rendered)) {
    throw tagError(
      `tag '${rendered}' rendered from '${template}' is not a valid OCI tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}); ` +
        "change the template or the value that put the bad character there",
      { template, tag: rendered },
    );
  }
  if (rendered.toLowerCase() === "latest") {
    throw tagError(`tag template '${template}' rendered 'latest'; include {sha} or {sha7}`, {
      template,
      tag: rendered,
    });
  }
  return rendered;
}

/**
 * Recovers the placeholders' values from a tag rendered with `template`. Returns `undefined` when
 * the tag does not fit the template, when it fits in more than one way, or when `{sha}` and
 * `{sha7}` disagree.
 *
 * @example
 * ```ts
 * parseTagBack("{version}-{sha7}", "1.4.0-0123456"); // { version: "1.4.0", sha7: "0123456" }
 * ```
 */
export function parseTagBack(template: string, tag: string): TagParts | undefined {
  const { segments, problems } = tokenize(template);
  if (problems.length > 0 || !OCI_TAG.test(tag)) return undefined;
  const ways = countWays(segments, tag);
  if ((ways.get(key(0, 0)) ?? 0) !== 1) return undefined;
  const found: Partial<Record<TagPlaceholder, string>> = {};
  let position = 0;
  for (const [index, segment] of segments.entries()) {
    const end = nextEnds(segment, tag, position).find(
      (candidate) => (ways.get(key(index + 1, candidate)) ?? 0) > 0,
    );
    if (end === undefined) return undefined;
    if (segment.kind === "slot") found[segment.name] = tag.slice(position, end);
    position = end;
  }
  const sha7 = found.sha7 ?? found.sha?.slice(0, 7);
  if (sha7 === undefined || (found.sha !== undefined && !found.sha.startsWith(sha7))) return undefined;
  return { ...found, sha7 };
}

function tokenize(template: string): { segments: Segment[]; problems: TagTemplateProblem[] } {
  const segments: Segment[] = [];
  const problems: TagTemplateProblem[] = [];
  const pattern = /\{([^{}]*)\}/g;
  let last = 0;
  for (const match of template.matchAll(pattern)) {
    if (match.index > last) segments.push({ kind: "literal", text: template.slice(last, match.index) });
    const name = match[1] ?? "";
    if (isPlaceholder(name)) segments.push({ kind: "slot", name });
    else {
      problems.push({ message: `{${name}} is not a known placeholder`, fix: `use ${PLACEHOLDER_LIST}` });
      segments.push({ kind: "literal", text: "" });
    }
    last = match.index + match[0].length;
  }
  if (last < template.length) segments.push({ kind: "literal", text: template.slice(last) });
  for (const segment of segments) {
    if (segment.kind === "literal" && /[{}]/.test(segment.text)) {
      problems.push({ message: `'${template}' has an unmatched brace`, fix: "write placeholders as {name}" });
      break;
    }
  }
  return { segments, problems };
}

function isPlaceholder(name: string): name is TagPlaceholder {
  return (TAG_PLACEHOLDERS as readonly string[]).includes(name);
}

function slotValue(name: TagPlaceholder, values: TagValues, template: string): string {
  switch (name) {
    case "sha":
      return values.sha;
    case "sha7":
      return values.sha.slice(0, 7);
    case "version":
      if (values.version === undefined || values.version === "") {
        throw tagError(
          `tag template '${template}' uses {version} but no version was found; set build.version`,
          {
            template,
          },
        );
      }
      return values.version.replaceAll("+", "_");
    case "branch":
      if (values.branch === undefined || values.branch === "") {
        throw tagError(
          `tag template '${template}' uses {branch} but no branch was given; pass the pushed branch`,
          {
            template,
          },
        );
      }
      return sanitiseBranch(values.branch);
    case "build": {
      const build = values.build === undefined ? "" : String(values.build);
      if (!SLOT_RULES.build.chars.test(build)) {
        throw tagError(
          `tag template '${template}' uses {build} but the build number is '${build}'; pass digits`,
          {
            template,
          },
        );
      }
      return build;
    }
  }
}

/** Makes a branch name tag-safe: `feature/Login#2` becomes `feature-Login-2`. */
function sanitiseBranch(branch: string): string {
  const safe = branch
    .replace(/^refs\/heads\//, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+/, "")
    .slice(0, MAX_BRANCH)
    .replace(/[.-]+$/, "");
  return safe === "" ? "_" : safe;
}

function key(segment: number, position: number): string {
  return `${segment}:${position}`;
}

/** Where a segment starting at `position` may end. */
function nextEnds(segment: Segment, tag: string, position: number): number[] {
  if (segment.kind === "literal")
    return tag.startsWith(segment.text, position) ? [position + segment.text.length] : [];
  const ends: number[] = [];
  const rule = SLOT_RULES[segment.name].chars;
  for (let end = position + 1; end <= tag.length; end += 1) {
    if (rule.test(tag.slice(position, end))) ends.push(end);
  }
  return ends;
}

/** Number of ways (capped at 2) the segments from i on match the tag from a position. */
function countWays(segments: readonly Segment[], tag: string): Map<string, number> {
  const ways = new Map<string, number>();
  for (let position = 0; position <= tag.length; position += 1) {
    ways.set(key(segments.length, position), position === tag.length ? 1 : 0);
  }
  for (let index = segments.length - 1; index >= 0; index -= 1) {
    const segment = segments[index];
    if (segment === undefined) continue;
    for (let position = 0; position <= tag.length; position += 1) {
      let total = 0;
      for (const end of nextEnds(segment, tag, position)) total += ways.get(key(index + 1, end)) ?? 0;
      ways.set(key(index, position), Math.min(total, 2));
    }
  }
  return ways;
}

function tagError(message: string, data: Record<string, unknown>): ShiplineError {
  return new ShiplineError({ code: "TAG_INVALID", message, data, retryable: false });
}
