import { createHash } from "node:crypto";
import { constants, gzipSync } from "node:zlib";
import { ShiplineError } from "../../../core/errors/shipline-error.js";

/** One entry of a layer: a directory, a regular file or a symbolic link, at an absolute image path. */
export type LayerEntry =
  | {
      readonly kind: "directory";
      readonly path: string;
      readonly mode: number;
      readonly uid?: number;
      readonly gid?: number;
    }
  | {
      readonly kind: "file";
      readonly path: string;
      readonly mode: number;
      readonly content: Uint8Array;
      readonly uid?: number;
      readonly gid?: number;
    }
  | {
      readonly kind: "symlink";
      readonly path: string;
      readonly target: string;
      readonly uid?: number;
      readonly gid?: number;
    };

/** A built layer: the gzipped tar (the blob) and its digests. */
export interface TarLayer {
  /** The gzipped tar, as pushed. */
  readonly blob: Buffer;
  /** sha256 of {@link blob}: the layer's digest in the manifest. */
  readonly digest: string;
  /** sha256 of the uncompressed tar: the layer's `diff_id` in the image config. */
  readonly diffId: string;
}

const BLOCK = 512;

/**
 * Packs entries into a reproducible image layer: entries sorted by path (each parent directory
 * added when missing), modification time 0, owner 0:0 unless given, no user or group names, ustar
 * headers with PAX records for long paths, then gzip with a fixed header (mtime 0) and level. The same
 * entries always give the same bytes, hence the same digest, whatever the machine or the time.
 *
 * @example
 * ```ts
 * const layer = tarLayer([{ kind: "file", path: "/app/server.js", mode: 0o644, content }]);
 * layer.digest; // "sha256:..."
 * ```
 */
export function tarLayer(entries: readonly LayerEntry[]): TarLayer {
  const tar = tarArchive(entries);
  const blob = gzipSync(tar, { level: constants.Z_BEST_COMPRESSION });
  return { blob, digest: sha256Of(blob), diffId: sha256Of(tar) };
}

/**
 * The uncompressed, reproducible tar of {@link tarLayer}.
 *
 * @example
 * ```ts
 * const tar = tarArchive([{ kind: "directory", path: "/app", mode: 0o755 }]);
 * ```
 */
export function tarArchive(entries: readonly LayerEntry[]): Buffer {
  const byPath = new Map<string, LayerEntry>();
  for (const entry of entries) {
    const name = archiveName(entry.path);
    for (const parent of parentsOf(name)) {
      if (!byPath.has(parent)) byPath.set(parent, { kind: "directory", path: `/${parent}`, mode: 0o755 });
    }
    byPath.set(name, entry);
  }
  const blocks: Buffer[] = [];
  for (const name of [...byPath.keys()].sort(compareBytes)) {
    const entry = byPath.get(name);
    if (entry !== undefined) blocks.push(...entryBlocks(name, entry));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

/** `sha256:<hex>` of some bytes. */
export function sha256Of(content: Uint8Array): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

function archiveName(imagePath: string): string {
  const parts = imagePath.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.length === 0 || parts.includes("..")) {
    throw new ShiplineError({
      code: "BUILD_LAYER_INVALID",
      message: `'${imagePath}' is not a path inside the image; give an absolute path without '..'`,
      data: { path: imagePath },
    });
  }
  return parts.join("/");
}

function parentsOf(name: string): string[] {
  const parts = name.split("/");
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join("/"));
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function entryBlocks(name: string, entry: LayerEntry): Buffer[] {
  const storedName = entry.kind === "directory" ? `${name}/` : name;
  const content = entry.kind === "file" ? Buffer.from(entry.content) : Buffer.alloc(0);
  const linkName = entry.kind === "symlink" ? entry.target : "";
  const pax: string[] = [];
  const split = splitName(storedName);
  if (split === undefined) pax.push(paxRecord("path", storedName));
  if (Buffer.byteLength(linkName) > 100) pax.push(paxRecord("linkpath", linkName));
  const blocks: Buffer[] = [];
  if (pax.length > 0) {
    const body = Buffer.from(pax.join(""));
    blocks.push(
      header({ name: "PaxHeader", prefix: "", mode: 0o644, size: body.length, type: "x", linkName: "" }),
    );
    blocks.push(body, padding(body.length));
  }
  const { prefix, base } = split ?? { prefix: "", base: storedName.slice(0, 100) };
  blocks.push(
    header({
      name: base,
      prefix,
      mode: entry.kind === "symlink" ? 0o777 : entry.mode,
      size: content.length,
      type: entry.kind === "directory" ? "5" : entry.kind === "symlink" ? "2" : "0",
      linkName: linkName.slice(0, 100),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
    }),
  );
  if (content.length > 0) blocks.push(content, padding(content.length));
  return blocks;
}

/** Splits a name into ustar's prefix (155 bytes) and name (100 bytes), or undefined when it cannot. */
function splitName(name: string): { prefix: string; base: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", base: name };
  for (let index = name.indexOf("/"); index >= 0; index = name.indexOf("/", index + 1)) {
    const prefix = name.slice(0, index);
    const base = name.slice(index + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base !== "")
      return { prefix, base };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length)
    length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

function header(fields: {
  readonly name: string;
  readonly prefix: string;
  readonly mode: number;
  readonly size: number;
  readonly type: string;
  readonly linkName: string;
  readonly uid?: number;
  readonly gid?: number;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, "utf8");
  block.write(octal(fields.mode & 0o7777, 8), 100);
  block.write(octal(fields.uid ?? 0, 8), 108);
  block.write(octal(fields.gid ?? 0, 8), 116);
  block.write(octal(fields.size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write("        ", 148);
  block.write(fields.type, 156);
  block.write(fields.linkName, 157, 100, "utf8");
  block.write("ustar\0", 257);
  block.write("00", 263);
  block.write(octal(0, 8), 329);
  block.write(octal(0, 8), 337);
  block.write(fields.prefix, 345, 155, "utf8");
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function padding(length: number): Buffer {
  return Buffer.alloc((BLOCK - (length % BLOCK)) % BLOCK);
}
