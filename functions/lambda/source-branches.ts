// The reader of app repositories' branches for accept.branches (image-pushed and its sweep).
import type { Logger } from "@aws-lambda-powertools/logger";
import { createGitCredentialsProvider } from "../adapters/aws/git-credentials/create-git-credentials-provider.js";
import { IsomorphicCommitAncestry } from "../adapters/git/commit-ancestry-isomorphic.js";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { gitAuthCallback } from "../core/credentials/git-auth-callback.js";
import { sourceCredentialsFor } from "../core/credentials/source-credentials-for.js";
import type { Clock } from "../core/ports/clock.js";
import type { SourceBranches } from "../core/ports/source-branches.js";

/** Where the bare clones go: /tmp is the only place a Lambda function may write. */
const GIT_CACHE_DIR = "/tmp/shipline-git";

/**
 * The {@link SourceBranches} of the apps whose acceptance policy names branches: their repositories
 * are fetched with isomorphic-git (the Lambda runtime has no git CLI) and the credentials each app's
 * `source.credentials` names, as promote reads them. Undefined when no app has `accept.branches`,
 * so that a function that needs no git bundles it without running it.
 *
 * @example
 * ```ts
 * const branches = sourceBranchesFor({ config, logger: deps.logger, clock: deps.clock });
 * ```
 */
export function sourceBranchesFor(options: {
  readonly config: Pick<ShiplineConfig, "apps">;
  readonly logger: Pick<Logger, "warn">;
  readonly clock: Clock;
}): SourceBranches | undefined {
  const { config, logger, clock } = options;
  if (!config.apps.some((app) => app.accept?.branches !== undefined)) return undefined;
  const credentialsOf = sourceCredentialsFor({
    apps: config.apps,
    providerOf: (credentials) =>
      createGitCredentialsProvider({
        config: credentials,
        logger: { warn: (message, fields) => logger.warn(message, { ...fields }) },
        clock,
      }),
  });
  return new IsomorphicCommitAncestry({
    cacheDir: GIT_CACHE_DIR,
    onAuthFor: (repo) => {
      const provider = credentialsOf(repo);
      return provider === undefined ? undefined : gitAuthCallback(provider, repo);
    },
  });
}
