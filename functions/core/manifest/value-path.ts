import { ShiplineError } from "../errors/shipline-error.js";

/** One step of a {@link parseValuePath | value path}: a mapping key, a sequence index, or a selector. */
export type PathSegment =
  | { readonly key: string }
  | { readonly index: number }
  | { readonly match: { readonly key: string; readonly value: string } };

const INDEX = /^\d+$/;

/**
 * Parses a dotted value path such as `image.tag`, `spec.template.spec.containers[0].image` or
 * `images[name=web].newTag`.
 *
 * Grammar: segments are separated by `.`; `[n]` selects the n-th (0-based) sequence item;
 * `[key=value]` selects the sequence item that is a mapping whose `key` is the scalar `value`.
 * A backslash makes the next character literal, so a key holding dots is written `a\.b` (for
 * example `podAnnotations.prometheus\.io/scrape`), and `\[`, `\]`, `\=` and `\\` likewise.
 *
 * @example
 * ```ts
 * parseValuePath("global.image\\.registry"); // [{ key: "global" }, { key: "image.registry" }]
 * parseValuePath("images[name=web].newTag"); // [{ key: "images" }, { match: { key: "name", value: "web" } }, { key: "newTag" }]
 * ```
 */
export function parseValuePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (reason: string): never => {
    throw new ShiplineError({
      code: "MANIFEST_PATH_INVALID",
      message: `value path "${path}" is invalid at character ${i + 1}: ${reason}; write keys separated by '.', sequence items as [0] or [name=web], and escape a literal '.' as '\\.'`,
      data: { path, position: i },
    });
  };
  const readUntil = (stops: string): string => {
    let out = "";
    while (i < path.length && !stops.includes(path[i] ?? "")) {
      if (path[i] === "\\") {
        i += 1;
        if (i >= path.length) fail("a trailing '\\' escapes nothing");
      }
      out += path[i];
      i += 1;
    }
    return out;
  };
  if (path.length === 0) fail("the path is empty");
  while (i < path.length) {
    if (path[i] === "[") {
      i += 1;
      const inner = readUntil("=]");
      if (path[i] === "=") {
        i += 1;
        const value = readUntil("]");
        if (path[i] !== "]") fail("a '[' is not closed");
        if (inner === "") fail("a selector needs a key, as in [name=web]");
        segments.push({ match: { key: inner, value } });
      } else {
        if (path[i] !== "]") fail("a '[' is not closed");
        if (!INDEX.test(inner)) fail(`"${inner}" is not a sequence index`);
        segments.push({ index: Number(inner) });
      }
      i += 1;
    } else {
      if (segments.length > 0) {
        if (path[i] !== ".") fail("expected '.' or '[' after a segment");
        i += 1;
      }
      const key = readUntil(".[");
      if (key === "") fail("a key is empty");
      segments.push({ key });
    }
  }
  return segments;
}

/**
 * Writes segments back as a value path that {@link parseValuePath} reads to the same segments.
 *
 * @example
 * ```ts
 * formatValuePath([{ key: "a.b" }, { index: 0 }]); // "a\\.b[0]"
 * ```
 */
export function formatValuePath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if ("key" in segment) out += `${out ? "." : ""}${escapePart(segment.key, ".[")}`;
    else if ("index" in segment) out += `[${segment.index}]`;
    else out += `[${escapePart(segment.match.key, "=]")}=${escapePart(segment.match.value, "]")}]`;
  }
  return out;
}

function escapePart(part: string, special: string): string {
  let out = "";
  for (const char of part) out += char === "\\" || special.includes(char) ? `\\${char}` : char;
  return out;
}
