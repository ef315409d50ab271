import { isMap, isScalar } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { type Resolution, resolvePath } from "./resolve-path.js";
import type { LocatedScalar } from "./scalar-splice.js";
import { describeNode } from "./scalar-splice.js";
import { formatValuePath, type PathSegment, parseValuePath } from "./value-path.js";

/**
 * Finds the node at a value path. With `documentIndex`, in that document; without, in the one
 * document of the file where the path exists (`MANIFEST_PATH_AMBIGUOUS` when several have it).
 * A path found nowhere is `MANIFEST_PATH_NOT_FOUND`, naming the deepest part that exists and its line.
 *
 * @example
 * ```ts
 * const located = locatePath(manifest, "spec.source.targetRevision");
 * ```
 */
export function locatePath(manifest: ParsedManifest, path: string, documentIndex?: number): LocatedScalar {
  const segments = parseValuePath(path);
  const indexes = documentIndex === undefined ? [...manifest.documents.keys()] : [documentIndex];
  if (documentIndex !== undefined && documentIndex >= manifest.documents.length) {
    throw new ShiplineError({
      code: "MANIFEST_PATH_NOT_FOUND",
      message: `value path "${path}" asks for document ${documentIndex}, but the file has ${manifest.documents.length} document(s); documents count from 0`,
      data: { path, documentIndex, documents: manifest.documents.length },
    });
  }
  const found: LocatedScalar[] = [];
  const missed: { documentIndex: number; resolution: Resolution & { found: false } }[] = [];
  for (const index of indexes) {
    const resolution = resolvePath(manifest, index, segments);
    if (resolution.found)
      found.push({
        node: resolution.node,
        documentIndex: index,
        canonical: resolution.canonical,
        inFlow: resolution.inFlow,
      });
    else missed.push({ documentIndex: index, resolution });
  }
  const only = found[0];
  if (found.length === 1 && only) return only;
  if (found.length > 1) {
    const documents = found.map((item) => item.documentIndex);
    throw new ShiplineError({
      code: "MANIFEST_PATH_AMBIGUOUS",
      message: `value path "${path}" exists in documents ${documents.join(", ")} of the file; say which one with documentIndex`,
      data: { path, documents },
    });
  }
  const deepest = missed.sort((a, b) => b.resolution.depth - a.resolution.depth)[0];
  throw pathNotFound(manifest, segments, deepest?.documentIndex ?? 0, deepest?.resolution);
}

/**
 * The `MANIFEST_PATH_NOT_FOUND` error for a path that stops early: it names the part that
 * exists, its line, and what it holds instead.
 *
 * @example
 * ```ts
 * throw pathNotFound(manifest, segments, 0, resolution);
 * ```
 */
export function pathNotFound(
  manifest: ParsedManifest,
  segments: readonly PathSegment[],
  documentIndex: number,
  resolution: (Resolution & { found: false }) | undefined,
): ShiplineError {
  const path = formatValuePath(segments);
  const depth = resolution?.depth ?? 0;
  const next = segments[depth];
  const missing =
    next === undefined || "key" in next
      ? `key "${next?.key ?? ""}"`
      : `item [${formatValuePath([next]).slice(1, -1)}]`;
  const parent = depth === 0 ? "the document" : `"${formatValuePath(resolution?.canonical ?? [])}"`;
  const at = resolution?.at;
  const range = isMap(at) || isScalar(at) ? at.range : undefined;
  const line = range ? manifest.lines.lineOf(range[0]) : undefined;
  const lineText = line === undefined ? undefined : manifest.lines.lineText(line).trim();
  const keys = isMap(at) ? at.items.map((item) => (isScalar(item.key) ? String(item.key.value) : "?")) : [];
  const holds = isMap(at)
    ? `has no ${missing} (${line === undefined ? "its keys" : `the mapping at line ${line} has keys`}: ${keys.join(", ") || "none"})`
    : `${line === undefined ? "" : `(line ${line}: "${lineText}") `}is ${describeNode(at)}, so it has no ${missing}`;
  return new ShiplineError({
    code: "MANIFEST_PATH_NOT_FOUND",
    message: `value path "${path}" not found in document ${documentIndex}: ${parent} ${holds}; fix the deploy target's path or add the key to the file`,
    data: { path, documentIndex, missing, line, lineText, keys },
  });
}
