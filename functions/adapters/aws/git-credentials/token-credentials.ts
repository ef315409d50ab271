import type {
  CredentialsLogger,
  GitCredential,
  GitCredentialsProvider,
} from "../../../core/ports/git-credentials.js";
import type { SecretTextSource } from "./secret-text.js";

/** Options of {@link TokenCredentials}. */
export interface TokenCredentialsOptions {
  /** The secret holding the token (config: `secretName`). */
  readonly secret: SecretTextSource;
  /** The user name sent with it (config: `username`). @default "x-access-token" */
  readonly username?: string;
  /** Receives the one warning that a long-lived token is in use. */
  readonly logger: CredentialsLogger;
}

/** The warning logged once per instance of {@link TokenCredentials}. */
export const LONG_LIVED_TOKEN_WARNING = "long-lived token is discouraged; prefer oidc-exchange or github-app";

/**
 * The `token` provider: a token kept in Secrets Manager, for hosts with no federation (GitLab
 * project access tokens, say). It is allowed but discouraged, and says so once in the log (with the
 * secret's name, never its value). The token carries no expiry Shipline can see; the cache re-reads
 * it every few minutes so that a rotation is picked up.
 *
 * @example
 * ```ts
 * const provider = new TokenCredentials({ secret: new SecretsManagerSecretText({ client, secretId: "shipline/config-repo-token" }), username: "oauth2", logger });
 * ```
 */
export class TokenCredentials implements GitCredentialsProvider {
  readonly kind = "token";
  readonly #options: TokenCredentialsOptions;
  #warned = false;

  constructor(options: TokenCredentialsOptions) {
    this.#options = options;
  }

  async credentials(repoUrl: string): Promise<GitCredential> {
    if (!this.#warned) {
      this.#warned = true;
      this.#options.logger.warn(LONG_LIVED_TOKEN_WARNING, {
        provider: this.kind,
        secretId: this.#options.secret.secretId,
        repository: repoUrl,
      });
    }
    const token = (await this.#options.secret.value()).trim();
    return { username: this.#options.username ?? "x-access-token", password: token };
  }
}
