import type * as z from "zod";

/**
 * Renders zod issues as one line each, `path: message`, so that an error names the field.
 *
 * @example
 * ```ts
 * formatIssues(result.error.issues); // ["detail.commit: expected a 40 or 64 character hex git sha"]
 * ```
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): string[] {
  return issues.map((issue) => {
    const path = formatPath([...(prefix ? [prefix] : []), ...issue.path.map(pathKey)]);
    return `${path || "(root)"}: ${issue.message}`;
  });
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === "symbol" ? String(key) : key;
}

/**
 * Joins path segments the way a reader writes them: `apps[0].deploy.staging`.
 *
 * @example
 * ```ts
 * formatPath(["apps", 0, "tag"]); // "apps[0].tag"
 * ```
 */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
