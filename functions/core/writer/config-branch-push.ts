import { repositoryKeysOf } from "../build/repository-keys.js";
import { parseRepoRef } from "../config/repo-ref.js";
import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";

/**
 * Why a push is not one to the config repository's branch (another repository, another branch),
 * or `undefined` when it is.
 *
 * @example
 * ```ts
 * const ignored = notConfigBranch(push, config);
 * if (ignored !== undefined) return { ignored };
 * ```
 */
export function notConfigBranch(
  push: CommitPushed,
  config: Pick<ShiplineConfig, "configRepo">,
): string | undefined {
  const repo = parseRepoRef(config.configRepo.url);
  const key = "problem" in repo ? config.configRepo.url : repo.key;
  if (!repositoryKeysOf(push).includes(key)) return `${push.repository.url} is not the config repository`;
  if (push.ref !== `refs/heads/${config.configRepo.branch}`) {
    return `${push.ref} is not the config branch ${config.configRepo.branch}`;
  }
  return undefined;
}
