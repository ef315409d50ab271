/** Basic-auth credentials for a git host over HTTPS, as isomorphic-git's `onAuth` hands them on. */
export interface GitCredential {
  /** The user name (`x-access-token` for GitHub tokens, the SigV4 user for CodeCommit). */
  readonly username: string;
  /** The short-lived token or signed password. Never logged, never put in a URL or an error. */
  readonly password: string;
  /** When the host stops accepting it; absent when the provider cannot tell (a stored token). */
  readonly expiresAt?: Date;
}

/**
 * Port for the providers of git credentials (DESIGN §3): `oidc-exchange`, `github-app`,
 * `codecommit` and `token` each implement it. A provider returns credentials for one repository
 * URL; it does not cache (wrap it in `CachedGitCredentials`). Failures are ShiplineErrors that name
 * the provider and the repository, never a token: `GIT_CREDENTIALS_DENIED` when the issuer refused
 * (permanent), `GIT_CREDENTIALS_UNAVAILABLE` when it could not be reached or failed (retryable).
 *
 * @example
 * ```ts
 * const provider: GitCredentialsProvider = new CachedGitCredentials({ provider: githubApp, clock: systemClock });
 * const { username, password } = await provider.credentials("https://github.com/acme/deploy.git");
 * ```
 */
export interface GitCredentialsProvider {
  /** The provider's kind, for logs and errors (`oidc-exchange`, `github-app`, ...). */
  readonly kind: string;
  /** Credentials that let the caller fetch from and push to `repoUrl`. */
  credentials(repoUrl: string): Promise<GitCredential>;
}

/**
 * The part of a logger the providers use: a warning with structured fields. A handler passes
 * Powertools' `Logger` through a one-line adapter; a test passes a recorder.
 *
 * @example
 * ```ts
 * const logger: CredentialsLogger = { warn: (message, fields) => powertools.warn(message, { ...fields }) };
 * ```
 */
export interface CredentialsLogger {
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}
