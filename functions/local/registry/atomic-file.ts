import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Writes a file so that readers see either the old or the whole new content: the data goes to a
 * temporary file beside the target, is flushed to disk, and is renamed over the target.
 *
 * @example
 * ```ts
 * await writeFileAtomic(path.join(dataDir, "repositories/demo/_tags/1.0"), JSON.stringify(link));
 * ```
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  // A leading dot keeps the temporary file out of listings: tags and digests never start with one.
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
