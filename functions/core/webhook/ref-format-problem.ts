/**
 * What makes a full ref name one git itself refuses, by the rules of `git check-ref-format`, or
 * `undefined` for a valid one: a component that starts with `.` or ends with `.lock`, `..`, a
 * control character, space, `~`, `^`, `:`, `?`, `*`, `[` or `\`, an empty component (`//`, a
 * leading or trailing `/`), a trailing `.`, `@{`, or `@` alone.
 *
 * @example
 * ```ts
 * refFormatProblem("refs/heads/a..b"); // "it contains '..'"
 * refFormatProblem("refs/heads/main"); // undefined
 * ```
 */
export function refFormatProblem(ref: string): string | undefined {
  if (ref === "@") return "it is '@' alone";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git refuses exactly these characters.
  const forbidden = /[\u0000-\u0020\u007f~^:?*[\\]/.exec(ref);
  if (forbidden !== null) return `it contains ${describe(forbidden[0])}`;
  if (ref.includes("..")) return "it contains '..'";
  if (ref.includes("@{")) return "it contains '@{'";
  if (ref.endsWith(".")) return "it ends with '.'";
  const components = ref.split("/");
  if (components.some((component) => component === ""))
    return "it has an empty path component ('//', or a leading or trailing '/')";
  const dotted = components.find((component) => component.startsWith("."));
  if (dotted !== undefined) return `its component '${dotted}' starts with '.'`;
  const locked = components.find((component) => component.endsWith(".lock"));
  if (locked !== undefined) return `its component '${locked}' ends with '.lock'`;
  return undefined;
}

function describe(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (character === " ") return "a space";
  if (code < 0x20 || code === 0x7f)
    return `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${character}'`;
}
