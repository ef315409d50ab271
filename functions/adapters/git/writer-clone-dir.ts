import { createHash } from "node:crypto";
import path from "node:path";

/**
 * Where the config writer keeps its bare clone of one repository's branch between invocations:
 * `<base>/shipline-writer/<16 hex of sha256(url#branch)>`, so the URL itself (which could name
 * an internal host) never becomes a path and two branches never share a clone.
 *
 * @example
 * ```ts
 * const dir = writerCloneDir(os.tmpdir(), "https://git.example.com/acme/config.git", "main");
 * ```
 */
export function writerCloneDir(base: string, url: string, branch: string): string {
  const digest = createHash("sha256").update(`${url}#${branch}`).digest("hex").slice(0, 16);
  return path.join(base, "shipline-writer", digest);
}
