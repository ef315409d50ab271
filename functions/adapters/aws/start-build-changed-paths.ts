import type { CodeCommitClient } from "@aws-sdk/client-codecommit";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { gitAuthCallback } from "../../core/credentials/git-auth-callback.js";
import { sourceCredentialsFor } from "../../core/credentials/source-credentials-for.js";
import type { ChangedPathsSource } from "../../core/ports/changed-paths-source.js";
import type { Clock } from "../../core/ports/clock.js";
import type { CredentialsLogger } from "../../core/ports/git-credentials.js";
import { IsomorphicChangedPaths } from "../git/changed-paths-isomorphic.js";
import { CodeCommitChangedPaths } from "./codecommit-changed-paths.js";
import { createGitCredentialsProvider } from "./git-credentials/create-git-credentials-provider.js";

/** Options of {@link createStartBuildChangedPaths}. */
export interface StartBuildChangedPathsOptions {
  /** The configuration: apps with `source.credentials` are fetched with them. */
  readonly config: Pick<ShiplineConfig, "apps">;
  /** Where fetches go (the function's `/tmp`). */
  readonly workDir: string;
  readonly logger: CredentialsLogger;
  readonly clock: Clock;
  /** Wraps each CodeCommit client (the tracer's `captureAWSv3Client`). @default - as it is */
  readonly capture?: (client: CodeCommitClient) => CodeCommitClient;
}

/**
 * The changed-paths source of `start-build` on AWS: CodeCommit's `GetDifferences` for a CodeCommit
 * push (one client per region, created when first needed), a shallow isomorphic-git fetch for any
 * other host, with the credentials of the app's `source.credentials` when it names them (each
 * provider created when first needed).
 *
 * @example
 * ```ts
 * const changedPaths = createStartBuildChangedPaths({ config, workDir: path.join(os.tmpdir(), "shipline-changed-paths"), logger, clock: systemClock });
 * ```
 */
export function createStartBuildChangedPaths(options: StartBuildChangedPathsOptions): ChangedPathsSource {
  const codeCommit = new CodeCommitChangedPaths(
    options.capture === undefined ? {} : { capture: options.capture },
  );
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
    changedPaths: (request) =>
      (request.provider === "codecommit" ? codeCommit : fetched).changedPaths(request),
  };
}
