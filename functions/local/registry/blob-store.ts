import { createHash } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import type { Digest } from "./reference.js";

/** An inclusive byte range of a blob. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Computes the digest of some bytes.
 *
 * @example
 * ```ts
 * digestOf(Buffer.from("{}")); // { algorithm: "sha256", hex: "44136fa3...", value: "sha256:44136fa3..." }
 * ```
 */
export function digestOf(content: Uint8Array, algorithm = "sha256"): Digest {
  const hex = createHash(algorithm).update(content).digest("hex");
  return { algorithm, hex, value: `${algorithm}:${hex}` };
}

/**
 * The registry's content-addressed store: every blob (layers, configs and manifests alike) lives
 * once under `blobs/<algorithm>/<first two hex>/<hex>` of the data directory, whichever
 * repositories link to it. Content enters only after its digest was verified.
 *
 * @example
 * ```ts
 * const blobs = new BlobStore(dataDir);
 * const digest = await blobs.write(Buffer.from(JSON.stringify(config)));
 * ```
 */
export class BlobStore {
  readonly #dataDir: string;

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
  }

  /** Where the content of a digest is (or would be) stored. */
  pathOf(digest: Digest): string {
    return path.join(this.#dataDir, "blobs", digest.algorithm, digest.hex.slice(0, 2), digest.hex);
  }

  /** The size of a stored blob, or undefined when it is not stored. */
  async size(digest: Digest): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(digest))).size;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The content of a stored blob, or undefined when it is not stored. */
  async read(digest: Digest): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(digest));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Streams a stored blob, whole or one byte range of it. */
  stream(digest: Digest, range?: ByteRange): ReadStream {
    return createReadStream(this.pathOf(digest), range ? { start: range.start, end: range.end } : {});
  }

  /** Stores bytes under their digest (a no-op when already stored) and returns the digest. */
  async write(content: Uint8Array, algorithm = "sha256"): Promise<Digest> {
    const digest = digestOf(content, algorithm);
    if ((await this.size(digest)) === undefined) await writeFileAtomic(this.pathOf(digest), content);
    return digest;
  }

  /**
   * Moves a file whose content was verified to hash to `digest` into the store; the rename is
   * atomic, and the file is simply removed when the blob is already stored.
   */
  async adopt(file: string, digest: Digest): Promise<void> {
    const target = this.pathOf(digest);
    if ((await this.size(digest)) !== undefined) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(file, target);
  }
}

/** Tells whether a file-system error means "no such file". */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
