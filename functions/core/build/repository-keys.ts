import { parseRepoRef } from "../config/repo-ref.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The keys (see `parseRepoRef(...).key`) under which an app's `source.repo` can name the pushed
 * repository: the canonical form of its clone URL and, for a repository served by the local
 * runtime's git server on a loopback address, `local:<name>` as well, since configs name those by
 * name because the server's port changes from run to run.
 *
 * @example
 * ```ts
 * repositoryKeysOf(push); // ["github.com/acme/shop"]
 * ```
 */
export function repositoryKeysOf(push: Pick<CommitPushed, "repository">): string[] {
  const keys: string[] = [];
  const parsed = parseRepoRef(push.repository.url);
  if (!("problem" in parsed)) keys.push(parsed.key);
  let url: URL | undefined;
  try {
    url = new URL(push.repository.url);
  } catch {
    url = undefined;
  }
  if (url !== undefined && LOOPBACK.has(url.hostname)) {
    const path = url.pathname
      .replace(/^\/+/, "")
      .replace(/\/+$/, "")
      .replace(/\.git$/, "");
    for (const name of new Set([path, push.repository.fullName, push.repository.name])) {
      if (name !== "") keys.push(`local:${name}`);
    }
  }
  return keys;
}
