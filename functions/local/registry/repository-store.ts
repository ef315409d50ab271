import { readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { writeFileAtomic } from "./atomic-file.js";
import { isNotFound } from "./blob-store.js";
import type { Digest } from "./reference.js";

/** What the registry records about a manifest pushed to a repository. */
export const manifestRecord = z.object({
  digest: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  /** ISO time of the first push of this digest to this repository. */
  pushedAt: z.string(),
  artifactType: z.string().optional(),
  subject: z.string().optional(),
});

/** A manifest of a repository. */
export type ManifestRecord = z.infer<typeof manifestRecord>;

const tagRecord = z.object({ digest: z.string(), updatedAt: z.string() });

/** A tag of a repository and the manifest it points to. */
export type TagRecord = z.infer<typeof tagRecord> & { readonly tag: string };

/**
 * Per-repository metadata on disk, beside the shared blob store:
 * `repositories/<name>/_layers/<algorithm>/<hex>` links a blob into the repository,
 * `repositories/<name>/_manifests/<algorithm>/<hex>` records a manifest (media type, size, push time),
 * `repositories/<name>/_tags/<tag>` points a tag at a manifest digest. The leading underscore keeps
 * these folders apart from nested repository names (`a/b` and `a/b/tags` are both valid names);
 * every write is atomic.
 *
 * @example
 * ```ts
 * const repositories = new RepositoryStore(dataDir);
 * await repositories.setTag("demo/app", "1.0", digest, new Date());
 * ```
 */
export class RepositoryStore {
  readonly #root: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, "repositories");
  }

  /** Links a stored blob into a repository. */
  async linkBlob(name: string, digest: Digest): Promise<void> {
    await writeFileAtomic(this.#layerPath(name, digest), digest.value);
  }

  /** Tells whether a blob is linked into a repository. */
  async hasBlob(name: string, digest: Digest): Promise<boolean> {
    return exists(this.#layerPath(name, digest));
  }

  /** Unlinks a blob from a repository; resolves false when it was not linked. */
  async unlinkBlob(name: string, digest: Digest): Promise<boolean> {
    if (!(await this.hasBlob(name, digest))) return false;
    await rm(this.#layerPath(name, digest), { force: true });
    return true;
  }

  /** Records a manifest in a repository, keeping the time of its first push. */
  async putManifest(name: string, digest: Digest, record: ManifestRecord): Promise<ManifestRecord> {
    const existing = await this.getManifest(name, digest);
    const stored = existing ? { ...record, pushedAt: existing.pushedAt } : record;
    await writeFileAtomic(this.#manifestPath(name, digest), JSON.stringify(stored));
    return stored;
  }

  /** The record of a manifest of a repository, or undefined. */
  async getManifest(name: string, digest: Digest): Promise<ManifestRecord | undefined> {
    const text = await readOptional(this.#manifestPath(name, digest));
    return text === undefined ? undefined : manifestRecord.parse(JSON.parse(text));
  }

  /** Removes a manifest record; resolves false when there was none. */
  async deleteManifest(name: string, digest: Digest): Promise<boolean> {
    if (!(await exists(this.#manifestPath(name, digest)))) return false;
    await rm(this.#manifestPath(name, digest), { force: true });
    return true;
  }

  /** Every manifest recorded in a repository. */
  async listManifests(name: string): Promise<ManifestRecord[]> {
    const records: ManifestRecord[] = [];
    const base = path.join(this.#repositoryPath(name), "_manifests");
    for (const algorithm of await listNames(base)) {
      for (const hex of await listNames(path.join(base, algorithm))) {
        const text = await readOptional(path.join(base, algorithm, hex));
        if (text !== undefined) records.push(manifestRecord.parse(JSON.parse(text)));
      }
    }
    return records;
  }

  /** Points a tag at a manifest digest. */
  async setTag(name: string, tag: string, digest: Digest, at: Date): Promise<void> {
    const record = { digest: digest.value, updatedAt: at.toISOString() };
    await writeFileAtomic(this.#tagPath(name, tag), JSON.stringify(record));
  }

  /** The digest a tag points at, or undefined. */
  async getTag(name: string, tag: string): Promise<TagRecord | undefined> {
    const text = await readOptional(this.#tagPath(name, tag));
    return text === undefined ? undefined : { tag, ...tagRecord.parse(JSON.parse(text)) };
  }

  /** Removes a tag; resolves false when there was none. */
  async deleteTag(name: string, tag: string): Promise<boolean> {
    if (!(await exists(this.#tagPath(name, tag)))) return false;
    await rm(this.#tagPath(name, tag), { force: true });
    return true;
  }

  /** Every tag of a repository, in lexical order. */
  async listTags(name: string): Promise<TagRecord[]> {
    const tags = (await listNames(path.join(this.#repositoryPath(name), "_tags"))).sort(compareText);
    const records: TagRecord[] = [];
    for (const tag of tags) {
      const record = await this.getTag(name, tag);
      if (record) records.push(record);
    }
    return records;
  }

  /** Tells whether anything (a blob link, a manifest or a tag) was ever pushed to a repository. */
  async exists(name: string): Promise<boolean> {
    const base = this.#repositoryPath(name);
    return (await exists(path.join(base, "_layers"))) || (await exists(path.join(base, "_manifests")));
  }

  /** The names of every repository, in lexical order. */
  async listRepositories(): Promise<string[]> {
    const names: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      const entries = await listNames(path.join(this.#root, relative));
      if (relative && (entries.includes("_layers") || entries.includes("_manifests"))) names.push(relative);
      for (const entry of entries) {
        if (!entry.startsWith("_")) await walk(relative ? `${relative}/${entry}` : entry);
      }
    };
    await walk("");
    return names.sort(compareText);
  }

  #repositoryPath(name: string): string {
    return path.join(this.#root, ...name.split("/"));
  }

  #layerPath(name: string, digest: Digest): string {
    return path.join(this.#repositoryPath(name), "_layers", digest.algorithm, digest.hex);
  }

  #manifestPath(name: string, digest: Digest): string {
    return path.join(this.#repositoryPath(name), "_manifests", digest.algorithm, digest.hex);
  }

  #tagPath(name: string, tag: string): string {
    return path.join(this.#repositoryPath(name), "_tags", tag);
  }
}

/** Compares strings by code point, the order the specification asks for in listings. */
export function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Entry names of a directory, without temporary files; empty when the directory is missing. */
async function listNames(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).filter((name) => !name.startsWith("."));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
