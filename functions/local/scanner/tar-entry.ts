import { gunzipSync } from "node:zlib";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** One regular file or whiteout found in a layer. */
export interface TarEntry {
  /** The path without a leading `/` or `./`. */
  readonly path: string;
  /** `file` for a regular file, `other` for directories, links and the rest. */
  readonly kind: "file" | "other";
  readonly content: Buffer;
}

const BLOCK = 512;

/**
 * Reads the entries of an image layer: a tar archive, gzip-compressed or not (ustar and GNU
 * headers, PAX `path` records and GNU long names). Throws a permanent `LAYER_UNREADABLE` for a
 * zstd layer or a truncated archive.
 *
 * @example
 * ```ts
 * const file = readTarEntries(layer).find((entry) => entry.path === ".shipline/findings.json");
 * ```
 */
export function readTarEntries(layer: Buffer): TarEntry[] {
  const tar = decompress(layer);
  const entries: TarEntry[] = [];
  let offset = 0;
  let nextPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(text(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + BLOCK;
    const end = start + size;
    if (!Number.isFinite(size) || end > tar.length)
      throw unreadable("an entry runs past the end of the archive");
    const content = tar.subarray(start, end);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      nextPath = paxPath(content.toString("utf8")) ?? nextPath;
      continue;
    }
    if (type === "L") {
      nextPath = content.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    if (type === "g") continue;
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    const path = normalise(nextPath ?? (prefix ? `${prefix}/${name}` : name));
    nextPath = undefined;
    entries.push({ path, kind: type === "0" || type === "\0" ? "file" : "other", content });
  }
  return entries;
}

function decompress(layer: Buffer): Buffer {
  if (layer[0] === 0x1f && layer[1] === 0x8b) return gunzipSync(layer);
  if (layer[0] === 0x28 && layer[1] === 0xb5 && layer[2] === 0x2f && layer[3] === 0xfd) {
    throw unreadable(
      "it is zstd-compressed, which the declared-findings scanner does not read; push gzip layers",
    );
  }
  return layer;
}

function text(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

function paxPath(records: string): string | undefined {
  for (const record of records.split("\n")) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function normalise(path: string): string {
  return path.replace(/^(\.\/|\/)+/, "");
}

function unreadable(reason: string): ShiplineError {
  return new ShiplineError({
    code: "LAYER_UNREADABLE",
    message: `an image layer cannot be read: ${reason}`,
    data: { reason },
  });
}
