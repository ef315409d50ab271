import { repositoryKeysOf } from "../build/repository-keys.js";
import { parseRepoRef } from "../config/repo-ref.js";
import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";

/**
 * Tells whether a push is of a repository the configuration names: an app's source or the config
 * repository (compared by canonical key, so `.git`, case and a trailing slash do not matter). The
 * webhook answers any other push 202 with the reason and publishes nothing.
 *
 * @example
 * ```ts
 * const named = configuredRepositories(config);
 * named(detail); // false for a repository no app builds from
 * ```
 */
export function configuredRepositories(
  config: Pick<ShiplineConfig, "apps" | "configRepo">,
): (push: Pick<CommitPushed, "repository">) => boolean {
  const keys = new Set<string>();
  for (const repo of [...config.apps.map((app) => app.source.repo), config.configRepo.url]) {
    const ref = parseRepoRef(repo);
    keys.add("problem" in ref ? repo : ref.key);
  }
  return (push) => repositoryKeysOf(push).some((key) => keys.has(key));
}
