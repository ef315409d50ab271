import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Reads the local webhook secret from `path`, creating a random one (mode 0600) on first use, so
 * that the git server and the webhook step agree across restarts.
 *
 * @example
 * ```ts
 * const secret = await loadOrCreateSecret(join(dataDir, "webhook-secret"));
 * ```
 */
export async function loadOrCreateSecret(path: string): Promise<string> {
  try {
    const existing = (await readFile(path, "utf8")).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
  }
  const secret = randomBytes(32).toString("hex");
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${secret}\n`, { encoding: "utf8", mode: 0o600 });
  return secret;
}
