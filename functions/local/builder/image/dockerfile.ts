import { ShiplineError } from "../../../core/errors/shipline-error.js";

/** One Dockerfile instruction: its keyword (upper case), the rest of its text and its first line. */
export interface DockerfileInstruction {
  readonly keyword: string;
  /** The arguments as written, continuation lines joined. */
  readonly text: string;
  /** The JSON (exec) form's strings, when the arguments are a JSON array of strings. */
  readonly json?: readonly string[];
  /** 1-based line of the keyword. */
  readonly line: number;
}

/**
 * Splits a Dockerfile into instructions: comments and blank lines dropped, `\` continuations joined
 * (comment lines inside a continuation skipped, as Docker does), keywords upper-cased, and the JSON
 * form of arguments recognised. It does not judge the instructions: see `packImage` for the subset
 * the daemonless builder runs.
 *
 * @example
 * ```ts
 * parseDockerfile('FROM scratch\nCOPY app /app\nCMD ["/app/run"]');
 * // [{ keyword: "FROM", text: "scratch", line: 1 }, { keyword: "COPY", ... }, { keyword: "CMD", json: ["/app/run"], ... }]
 * ```
 */
export function parseDockerfile(text: string): DockerfileInstruction[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const instructions: DockerfileInstruction[] = [];
  let pending: { line: number; parts: string[] } | undefined;
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && pending === undefined)) continue;
    if (trimmed === "") continue;
    const continued = /(^|[^\\])\\$/.test(trimmed) || trimmed === "\\";
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    if (pending === undefined) pending = { line: index + 1, parts: [] };
    pending.parts.push(part);
    if (continued) continue;
    instructions.push(instructionOf(pending.parts.join(" "), pending.line));
    pending = undefined;
  }
  if (pending !== undefined) instructions.push(instructionOf(pending.parts.join(" "), pending.line));
  return instructions;
}

function instructionOf(joined: string, line: number): DockerfileInstruction {
  const match = /^(\S+)\s*(.*)$/.exec(joined);
  const keyword = (match?.[1] ?? "").toUpperCase();
  const text = (match?.[2] ?? "").trim();
  if (!/^[A-Z]+$/.test(keyword)) {
    throw new ShiplineError({
      code: "DOCKERFILE_INVALID",
      message: `Dockerfile line ${line}: '${joined}' does not start with an instruction; start it with FROM, COPY, CMD, ...`,
      data: { line },
    });
  }
  const json = jsonArray(text);
  return { keyword, text, line, ...(json === undefined ? {} : { json }) };
}

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith("[")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === "string");
  return strings.length === value.length ? strings : undefined;
}
