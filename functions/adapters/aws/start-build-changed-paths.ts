import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { gitAuthCallback } from "../../core/credentials/git-auth-callback.js";
import { sourceCredentialsFor } from "../../core/credentials/source-credentials-for.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { CHANGED_PATHS_UNAVAILABLE, type ChangedPathsSource } from "../../core/ports/changed-paths-source.js";
import type { Clock } from "../../core/ports/clock.js";
import type { CredentialsLogger } from "../../core/ports/git-credentials.js";
import { IsomorphicChangedPaths } from "../git/changed-paths-isomorphic.js";
import { createGitCredentialsProvider } from "./git-credentials/create-git-credentials-provider.js";

/** Options of {@link createStartBuildChangedPaths}. */
export interface StartBuildChangedPathsOptions {
  /** The configuration: apps with `source.credentials` are fetched with them. */
  readonly config: Pick<ShiplineConfig, "apps">;
  /** Where fetches go (the function's `/tmp`). */
  readonly workDir: string;
  readonly logger: CredentialsLogger;
  readonly clock: Clock;
}

/**
 * The changed-paths source of `start-build` on AWS: a shallow isomorphic-git fetch, with the
 * credentials of the app's `source.credentials` when it names them (each provider created when first
 * needed). A CodeCommit push is not read here: the webhook reads its paths with `GetDifferences` and
 * the push carries them (`repositoryPaths`), so one that carries none (published before the webhook
 * read them) is refused with a permanent `CHANGED_PATHS_UNAVAILABLE`, and every app of its branch builds.
 *
 * @example
 * ```ts
 * const changedPaths = createStartBuildChangedPaths({ config, workDir: path.join(os.tmpdir(), "shipline-changed-paths"), logger, clock: systemClock });
 * ```
 */
export function createStartBuildChangedPaths(options: StartBuildChangedPathsOptions): ChangedPathsSource {
  const credentialsOf = sourceCredentialsFor({
    apps: options.config.apps,
    providerOf: (credentials) =>
      createGitCredentialsProvider({ config: credentials, logger: options.logger, clock: options.clock }),
  });
  const fetched = new IsomorphicChangedPaths({
    workDir: options.workDir,
    onAuthFor: (url) => {
      const provider = credentialsOf(url);
      return provider === undefined ? undefined : gitAuthCallback(provider, url);
    },
  });
  return {
    changedPaths: async (request) => {
      if (request.provider === "codecommit") {
        throw new ShiplineError({
          code: CHANGED_PATHS_UNAVAILABLE,
          message: `The changed paths of CodeCommit repository ${request.repository.name} are read by the webhook, and this push carries none`,
          data: { repository: request.repository.name },
          retryable: false,
        });
      }
      return fetched.changedPaths(request);
    },
  };
}
