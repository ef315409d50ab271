import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";
import type { GitCredentialsConfig } from "../../../core/config/credentials.js";
import { CachedGitCredentials } from "../../../core/credentials/cached-git-credentials.js";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import type { Clock } from "../../../core/ports/clock.js";
import type { CredentialsLogger, GitCredentialsProvider } from "../../../core/ports/git-credentials.js";
import { type AwsCredentialIdentity, CodeCommitCredentials } from "./codecommit-credentials.js";
import { GitHubAppCredentials } from "./github-app-credentials.js";
import { OidcExchangeCredentials } from "./oidc-exchange-credentials.js";
import { SecretsManagerSecretText } from "./secret-text.js";
import { StsWebIdentityToken } from "./sts-web-identity-token.js";
import { TokenCredentials } from "./token-credentials.js";

/** Options of {@link createGitCredentialsProvider}. */
export interface CreateGitCredentialsProviderOptions {
  /** `configRepo.credentials`. */
  readonly config: GitCredentialsConfig;
  /** True when an environment deploys through pull requests (GitHub Apps then also ask for `pull_requests: write`). */
  readonly pullRequests?: boolean;
  readonly logger: CredentialsLogger;
  readonly clock: Clock;
  /** @default - a client for the function's region */
  readonly sts?: STSClient;
  /** @default - a client for the function's region */
  readonly secretsManager?: SecretsManagerClient;
  /** The function's AWS credentials for `codecommit`. @default - the STS client's default provider chain */
  readonly awsCredentials?: () => Promise<AwsCredentialIdentity>;
  /** The function's region, for a CodeCommit endpoint host that names none. */
  readonly region?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * The AWS deployment's credentials for the config repository: the provider `configRepo.credentials`
 * names, wrapped in {@link CachedGitCredentials} (renewed 60 s before expiry, one call at a time).
 * Create it once per cold start. A `local:` exchange URL is refused (permanent
 * `CONFIG_INVALID`): only the local runtime resolves it.
 *
 * @example
 * ```ts
 * const credentials = createGitCredentialsProvider({ config: config.configRepo.credentials, logger, clock: systemClock });
 * const repo = new IsomorphicConfigRepository({ url, branch, dir, credentials: gitAuthCallback(credentials, url) });
 * ```
 */
export function createGitCredentialsProvider(
  options: CreateGitCredentialsProviderOptions,
): CachedGitCredentials {
  return new CachedGitCredentials({ provider: providerOf(options), clock: options.clock });
}

function providerOf(options: CreateGitCredentialsProviderOptions): GitCredentialsProvider {
  const { config, clock } = options;
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  const secrets = () => options.secretsManager ?? new SecretsManagerClient({});
  switch (config.provider) {
    case "oidc-exchange": {
      if (config.exchangeUrl.startsWith("local:")) {
        throw new ShiplineError({
          code: "CONFIG_INVALID",
          message: `configRepo.credentials.exchangeUrl '${config.exchangeUrl}' names the local runtime's exchange, which AWS cannot reach; write the broker's https URL`,
          data: { key: "configRepo.credentials.exchangeUrl" },
        });
      }
      return new OidcExchangeCredentials({
        webIdentityToken: new StsWebIdentityToken({
          client: options.sts ?? new STSClient({}),
          audience: config.audience,
          durationSeconds: config.tokenLifetimeSeconds,
        }),
        exchangeUrl: config.exchangeUrl,
        ...(config.scope === undefined ? {} : { scope: config.scope }),
        clock,
        ...fetchOption,
      });
    }
    case "github-app":
      return new GitHubAppCredentials({
        appId: config.appId,
        installationId: config.installationId,
        privateKey: new SecretsManagerSecretText({
          client: secrets(),
          secretId: config.privateKeySecret,
          clock,
        }),
        apiUrl: config.apiUrl,
        pullRequests: options.pullRequests ?? false,
        clock,
        ...fetchOption,
      });
    case "codecommit": {
      const sts = options.sts ?? new STSClient({});
      const region = config.region ?? options.region;
      return new CodeCommitCredentials({
        awsCredentials: options.awsCredentials ?? (() => sts.config.credentials()),
        ...(region === undefined ? {} : { region }),
        clock,
      });
    }
    case "token":
      return new TokenCredentials({
        secret: new SecretsManagerSecretText({ client: secrets(), secretId: config.secretName, clock }),
        username: config.username,
        logger: options.logger,
      });
  }
}
