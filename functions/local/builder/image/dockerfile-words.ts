import { ShiplineError } from "../../../core/errors/shipline-error.js";
import type { DockerfileInstruction } from "./dockerfile.js";

/**
 * Splits shell-like words: whitespace separates, double and single quotes group, a backslash
 * escapes the next character outside single quotes.
 *
 * @example
 * ```ts
 * shellWords('a="b c" d'); // ["a=b c", "d"]
 * ```
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? "";
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
    } else if (char === "\\" && index + 1 < text.length) {
      index += 1;
      current += text[index] ?? "";
      started = true;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(current);
      current = "";
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

/**
 * The name=value pairs of `ENV` or `LABEL`: `ENV a=b c="d e"`, or the legacy `ENV a b c` (one
 * variable, the rest its value). Values are expanded with `expand`.
 *
 * @example
 * ```ts
 * namedValues(instruction, (text) => text); // [["PORT", "8080"]]
 * ```
 */
export function namedValues(
  instruction: DockerfileInstruction,
  expand: (text: string) => string,
): [string, string][] {
  const words = shellWords(instruction.text);
  const first = words[0] ?? "";
  if (!first.includes("=")) {
    if (words.length < 2)
      throw dockerfileError(
        instruction.line,
        `${instruction.keyword} needs a value`,
        `write ${instruction.keyword} name=value`,
      );
    return [[first, expand(words.slice(1).join(" "))]];
  }
  return words.map((word) => {
    const [name = "", ...value] = word.split("=");
    if (name === "") throw dockerfileError(instruction.line, `'${word}' has no name`, "write name=value");
    return [name, expand(value.join("="))];
  });
}

/**
 * Replaces `$NAME`, `${NAME}` and `${NAME:-default}` with ARG and ENV values, as Docker does; `\\$`
 * is a literal dollar.
 *
 * @example
 * ```ts
 * substituteVariables("/srv/${APP:-demo}", new Map()); // "/srv/demo"
 * ```
 */
export function substituteVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, fallback?: string, bare?: string) => {
      if (match === "\\$") return "$";
      const value = values.get(braced ?? bare ?? "");
      return value === undefined || value === "" ? (fallback ?? "") : value;
    },
  );
}

/**
 * The permanent `DOCKERFILE_UNSUPPORTED` error: the line, what is wrong and the fix.
 *
 * @example
 * ```ts
 * throw dockerfileError(3, "RUN is not supported", "install buildah");
 * ```
 */
export function dockerfileError(line: number, what: string, fix: string): ShiplineError {
  return new ShiplineError({
    code: "DOCKERFILE_UNSUPPORTED",
    message: `Dockerfile line ${line}: ${what}; ${fix}`,
    data: { line },
  });
}
