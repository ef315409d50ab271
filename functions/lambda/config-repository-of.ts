// Shared by the Lambda entries that reach the config repository (config-writer, review-merged):
// the credentials provider the configuration names, and a bare clone under /tmp kept warm.
import os from "node:os";
import path from "node:path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";
import { createGitCredentialsProvider } from "../adapters/aws/git-credentials/create-git-credentials-provider.js";
import { IsomorphicConfigRepository } from "../adapters/git/isomorphic-config-repository.js";
import { writerCloneDir } from "../adapters/git/writer-clone-dir.js";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { gitAuthCallback } from "../core/credentials/git-auth-callback.js";
import type { StepDeps } from "../handlers/shared/create-step-deps.js";

/**
 * The config repository as a Lambda entry reaches it: credentials from `configRepo.credentials`
 * (short-lived, through `onAuth` only) and a bare clone under the function's /tmp, in a folder of
 * its own per `purpose` so that two functions never share one.
 *
 * @example
 * ```ts
 * const { repository, credentials } = configRepositoryOf({ config, deps, purpose: "writer" });
 * ```
 */
export function configRepositoryOf(options: {
  readonly config: Pick<ShiplineConfig, "configRepo" | "environments">;
  readonly deps: Pick<StepDeps, "logger" | "tracer" | "clock">;
  readonly purpose: string;
}) {
  const { config, deps } = options;
  const { configRepo } = config;
  const credentials = createGitCredentialsProvider({
    config: configRepo.credentials,
    pullRequests: config.environments.some((environment) => environment.approval === "pull-request"),
    logger: { warn: (message, fields) => deps.logger.warn(message, { ...fields }) },
    clock: deps.clock,
    sts: deps.tracer.captureAWSv3Client(new STSClient({})),
    secretsManager: deps.tracer.captureAWSv3Client(new SecretsManagerClient({})),
  });
  const repository = new IsomorphicConfigRepository({
    url: configRepo.url,
    branch: configRepo.branch,
    dir: writerCloneDir(path.join(os.tmpdir(), options.purpose), configRepo.url, configRepo.branch),
    credentials: gitAuthCallback(credentials, configRepo.url),
  });
  return { repository, credentials };
}
