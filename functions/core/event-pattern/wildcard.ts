/**
 * Checks a `wildcard` pattern value and compiles it to an anchored regular expression. `*` matches
 * any run of characters (including none), `\*` is a literal asterisk and `\\` a literal backslash.
 * Returns a reason string for two `*` in a row, any other escape, or a trailing backslash.
 *
 * @example
 * ```ts
 * const regex = compileWildcard("arn:aws:ecr:*:repository/app-*");
 * if (typeof regex !== "string") regex.test("arn:aws:ecr:eu-west-1:repository/app-web");
 * ```
 */
export function compileWildcard(pattern: string): RegExp | string {
  let source = "^";
  let previousWasStar = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === "*") {
      if (previousWasStar) {
        return `Consecutive wildcard characters at pos ${index} of "${pattern}"; use a single "*"`;
      }
      source += "[\\s\\S]*";
      previousWasStar = true;
      continue;
    }
    previousWasStar = false;
    if (char === "\\") {
      const next = pattern[index + 1];
      if (next !== "*" && next !== "\\") {
        return `Invalid escape character at pos ${index} of "${pattern}"; only \\* and \\\\ are allowed`;
      }
      source += escapeRegex(next);
      index++;
      continue;
    }
    source += escapeRegex(char ?? "");
  }
  return new RegExp(`${source}$`);
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}
